import type { IncomingMessage } from 'node:http';

/**
 * How many times the request carried the header `lowerName`. Node keeps only the first of a repeated
 * `Authorization` or `Referer` and joins others with `, `, so a credential check that must see exactly one value
 * asks here (the raw header list; no allocation).
 */
export function headerCount(req: IncomingMessage, lowerName: string): number {
  const raw = req.rawHeaders;
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) n++;
  }
  return n;
}
