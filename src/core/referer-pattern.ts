/**
 * API-key referrer restrictions matched on parsed URLs, never on regexes over raw strings (WSO2 turns `*` into
 * `.*` over the whole header, so `*.example.com/*` accepts `https://evil.com/.example.com/`).
 *
 * Pattern grammar (one entry of `permittedReferer`): `[scheme://]host[:port][/path]`
 * - `scheme`: `http` or `https`; absent = either.
 * - `host`: a host name or IP literal, compared case-insensitively after WHATWG normalisation (IDN to punycode);
 *   `*.example.com` = one or more labels before `example.com` (not `example.com` itself); a lone `*` (WSO2 keys
 *   only; refused at issue time) = any host. No other `*` in the host.
 * - `port`: absent = the scheme's default port.
 * - `path`: `*` matches any run of characters (`/` included) within the path; absent = `/` (what browsers send
 *   cross-origin). The query and fragment of the Referer are ignored.
 */
export interface RefererPattern {
  readonly scheme: 'http' | 'https' | null;
  readonly host: { readonly kind: 'any' } | { readonly kind: 'exact' | 'suffix'; readonly name: string };
  readonly port: string;
  /** The path split at `*`: `['/app/', '']` for `/app/*`. */
  readonly path: readonly string[];
}

/** A `Referer` header value, parsed. `scheme` is null when the value had none (`www.example.com/path`). */
export interface ParsedReferer {
  readonly scheme: 'http' | 'https' | null;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
/** Space, controls, DEL and non-ASCII: never in a Referer a browser sends (it percent-encodes). */
const NOT_URL_TEXT = /[^\x21-\x7e]/;
const MAX_REFERER_LENGTH = 8192;

/**
 * Parses one pattern entry (see {@link RefererPattern}); `{ error }` says why it is not one. `allowAnyHost` admits
 * a lone `*` host, which WSO2-issued keys may carry; new patterns are validated without it.
 * @example parseRefererPattern('*.example.com/*') // { scheme: null, host: { kind: 'suffix', name: 'example.com' }, ... }
 */
export function parseRefererPattern(text: string, allowAnyHost = false): RefererPattern | { error: string } {
  const entry = text.trim();
  if (entry === '' || NOT_URL_TEXT.test(entry)) return { error: 'must be URL characters without spaces' };
  let scheme: 'http' | 'https' | null = null;
  let rest = entry;
  const m = SCHEME.exec(entry);
  if (m) {
    const s = m[1]!.toLowerCase();
    if (s !== 'http' && s !== 'https') return { error: 'the scheme must be http or https' };
    scheme = s;
    rest = entry.slice(m[0].length);
  }
  if (/[?#\\@%]/.test(rest)) return { error: 'must not contain ?, #, \\, @ or %' };
  const slash = rest.indexOf('/');
  const hostPort = slash < 0 ? rest : rest.slice(0, slash);
  const pathText = slash < 0 ? '/' : rest.slice(slash);

  let host: RefererPattern['host'];
  let hostText = hostPort;
  if (hostPort === '*' || hostPort.startsWith('*:')) {
    if (!allowAnyHost) return { error: 'a bare * host would allow every site' };
    host = { kind: 'any' };
    hostText = `any${hostPort.slice(1)}`;
  } else if (hostPort.startsWith('*.')) {
    hostText = hostPort.slice(2);
    host = { kind: 'suffix', name: '' };
  } else {
    host = { kind: 'exact', name: '' };
  }
  if (hostText.includes('*')) return { error: '* is only allowed as the first label of the host' };
  let url: URL;
  try {
    url = new URL(`${scheme ?? 'http'}://${hostText}${pathText}`);
  } catch {
    return { error: 'the host, port or path is not valid' };
  }
  if (url.hostname === '' || url.search !== '' || url.hash !== '') {
    return { error: 'the host, port or path is not valid' };
  }
  if (host.kind !== 'any') host = { kind: host.kind, name: url.hostname };
  return { scheme, host, port: url.port, path: Object.freeze(url.pathname.split('*')) };
}

/**
 * Parses a `Referer` header: an absolute http(s) URL, or a scheme-less `host/path` (curl users copy WSO2's
 * pattern examples). Null for anything else: other schemes, userinfo (`https://user@evil.com/`), spaces or
 * controls, non-ASCII, an unparseable host (`https://evil.com%2F.example.com/`), over 8 KiB.
 */
export function parseReferer(value: string): ParsedReferer | null {
  if (value.length === 0 || value.length > MAX_REFERER_LENGTH || NOT_URL_TEXT.test(value)) return null;
  let scheme: 'http' | 'https' | null = null;
  let text = value;
  const m = SCHEME.exec(value);
  if (m) {
    const s = m[1]!.toLowerCase();
    if (s !== 'http' && s !== 'https') return null;
    scheme = s;
  } else {
    if (value.startsWith('/') || value.includes(':/')) return null;
    text = `http://${value}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  // A userinfo part is how `https://www.example.com@evil.com/` would pass for example.com to a careless reader.
  if (url.username !== '' || url.password !== '' || url.hostname === '') return null;
  return { scheme, hostname: url.hostname, port: url.port, pathname: url.pathname };
}

/** Whether the parsed Referer satisfies one of the patterns. */
export function refererAllowed(patterns: readonly RefererPattern[], referer: ParsedReferer): boolean {
  for (const p of patterns) {
    if (p.scheme !== null && p.scheme !== referer.scheme) continue;
    if (p.port !== referer.port) continue;
    if (!hostMatches(p.host, referer.hostname)) continue;
    if (globMatches(p.path, referer.pathname)) return true;
  }
  return false;
}

function hostMatches(host: RefererPattern['host'], hostname: string): boolean {
  if (host.kind === 'any') return true;
  if (host.kind === 'exact') return hostname === host.name;
  const labels = hostname.length - host.name.length - 1;
  if (labels <= 0 || !hostname.endsWith(host.name) || hostname.charCodeAt(labels) !== 46) return false;
  const prefix = hostname.slice(0, labels);
  return !prefix.startsWith('.') && !prefix.endsWith('.') && !prefix.includes('..');
}

/** `*`-only glob: first and last parts anchored, middle parts leftmost in order (linear, no backtracking). */
function globMatches(parts: readonly string[], text: string): boolean {
  const first = parts[0]!;
  if (parts.length === 1) return text === first;
  const last = parts[parts.length - 1]!;
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last))
    return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!;
    const found = text.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}
