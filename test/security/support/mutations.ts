/** A small seeded PRNG (mulberry32): the same seed gives the same attack run, so a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A mutated credential and how it was made. */
export interface Mutation {
  readonly kind: string;
  readonly value: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** What an attacker inserts: the other base64 alphabet, padding, separators, JSON and URL metacharacters, Unicode. */
const JUNK = [
  ...ALPHABET,
  '+',
  '/',
  '=',
  '==',
  '.',
  '!',
  '*',
  '%',
  '%3D',
  '"',
  "'",
  '\\',
  '~',
  'é',
  '\u00ff',
  '\u200b',
  '\ufeff',
  ',',
  ';',
];
const KINDS = [
  'flip',
  'insert',
  'delete',
  'truncate',
  'append',
  'case',
  'whitespace',
  'segments',
  'oversize',
] as const;

/**
 * `count` distinct mutations of `valid`, none equal to it: character flips, insertions (junk, padding, other
 * alphabet), deletions, truncations, appended junk, case changes, inner whitespace, segment reshuffles, and 8–64 KiB
 * values. Leading and trailing whitespace is not generated: HTTP strips it from header values (it is not part of the
 * credential).
 */
export function mutate(valid: string, count: number, rnd: () => number): Mutation[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const at = (min = 0, max = valid.length) => min + Math.floor(rnd() * (max - min));
  const out = new Map<string, Mutation>();
  let guard = 0;
  while (out.size < count && guard++ < count * 20) {
    const kind = pick(KINDS);
    let value: string;
    switch (kind) {
      case 'flip': {
        const i = at();
        value = valid.slice(0, i) + pick(JUNK.filter((c) => c !== valid[i])) + valid.slice(i + 1);
        break;
      }
      case 'insert': {
        const i = at(1);
        value = valid.slice(0, i) + pick(JUNK) + valid.slice(i);
        break;
      }
      case 'delete': {
        const i = at();
        value = valid.slice(0, i) + valid.slice(i + 1 + Math.floor(rnd() * 3));
        break;
      }
      case 'truncate':
        value = valid.slice(0, at(1, valid.length - 1));
        break;
      case 'append':
        value = valid + Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => pick(JUNK)).join('');
        break;
      case 'case': {
        const r = rnd();
        if (r < 0.15) value = valid.toUpperCase();
        else if (r < 0.3) value = valid.toLowerCase();
        else {
          const i = at();
          const c = valid[i]!;
          const swapped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
          value = valid.slice(0, i) + swapped + valid.slice(i + 1);
        }
        break;
      }
      case 'whitespace': {
        const i = at(1, valid.length - 1);
        value = valid.slice(0, i) + pick([' ', '\t', '  ']) + valid.slice(i);
        break;
      }
      case 'segments': {
        // JWTs split on `.`, opaque keys (`<prefix>_<random>_<checksum>`) on `_`.
        const sep = valid.includes('.') ? '.' : '_';
        const [h = '', p = '', s = ''] = valid.split(sep);
        const j = (...parts: string[]) => parts.join(sep);
        value = pick([
          j(h, p),
          j(h, p, s, s),
          j(p, h, s),
          j(h, p, '', s),
          j(h, '', p, s),
          j('', h, p, s),
          j(h, p, s, ''),
          j(h, h, s),
          j(h, p, s.slice(0, s.length >> 1)),
          j(h, p, `${s}${s}`),
        ]);
        break;
      }
      case 'oversize':
        value = valid + 'A'.repeat(8192 + Math.floor(rnd() * 57344));
        break;
    }
    if (value !== valid && !out.has(value)) out.set(value, { kind, value });
  }
  return [...out.values()];
}
