/**
 * Finds the line of a key in TOML text, for error messages. Tracks `[table]` / `[[array]]` headers and
 * `key = ...` / `a.b = ...` lines; good enough for the hand-written files operators keep.
 */
export function locateTomlKey(text: string, path: readonly string[]): number | null {
  const index = new Map<string, number>();
  let table = '';
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?/.exec(line);
    if (header?.[1]) {
      table = normaliseDotted(header[1]);
      if (!index.has(table)) index.set(table, i + 1);
      return;
    }
    const kv = /^((?:"[^"]*"|'[^']*'|[A-Za-z0-9_.\- ]+?))\s*=/.exec(line);
    if (kv?.[1]) {
      const key = normaliseDotted(kv[1]);
      const full = table ? `${table}.${key}` : key;
      if (!index.has(full)) index.set(full, i + 1);
    }
  });
  for (let n = path.length; n > 0; n--) {
    const hit = index.get(path.slice(0, n).join('.'));
    if (hit) return hit;
  }
  return null;
}

function normaliseDotted(s: string): string {
  return s
    .split('.')
    .map((p) => p.trim().replace(/^["']|["']$/g, ''))
    .join('.');
}
