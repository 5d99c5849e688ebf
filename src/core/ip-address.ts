import ipaddr from 'ipaddr.js';

/**
 * Parses an IP address in its plain text forms only: dotted-quad IPv4 without leading zeros (`010.0.0.1`, `10.1`,
 * `0xa.0.0.1` and `167772161` are not addresses here, though some parsers read them as 10.0.0.1 or 8.0.0.1) and
 * IPv6 without a zone id. IPv4-mapped IPv6 addresses are unwrapped. Null otherwise.
 */
export function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) ip = ipaddr.IPv4.parse(text);
  else if (text.includes(':') && !text.includes('%') && ipaddr.IPv6.isValid(text))
    ip = ipaddr.IPv6.parse(text);
  else return null;
  return ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()
    ? (ip as ipaddr.IPv6).toIPv4Address()
    : ip;
}

/** An address as a position in one ordered 128-bit space: IPv4 sits at its IPv4-mapped IPv6 place. */
export interface IpPosition {
  readonly family: 4 | 6;
  readonly value: bigint;
}

const IPV4_MAPPED = 0xffff00000000n;

/** The {@link IpPosition} of an address (see {@link parseIp} for the forms read); null when not an address. */
export function ipPosition(text: string): IpPosition | null {
  const ip = parseIp(text);
  if (ip === null) return null;
  let value = 0n;
  for (const byte of ip.toByteArray()) value = (value << 8n) | BigInt(byte);
  return ip.kind() === 'ipv4' ? { family: 4, value: value | IPV4_MAPPED } : { family: 6, value };
}

/** The canonical text of an address (IPv4 dotted quad, compressed lower-case IPv6), or null when invalid. */
export function canonicalIp(text: string): string | null {
  return parseIp(text)?.toString() ?? null;
}
