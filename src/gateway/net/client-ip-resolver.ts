import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import { parseIp } from '../../core/ip-address.js';
import type { GatewaySettings } from '../gateway-options.js';

export { parseIp } from '../../core/ip-address.js';

/** Returns the address with an IPv4-mapped IPv6 prefix (`::ffff:1.2.3.4`) removed. */
export function normalizeSocketAddress(address: string | undefined): string {
  if (address === undefined) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** Parses `a.b.c.d/n`, `x::/n` or a bare address (as a host network); null when invalid. */
export function parseNetwork(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | null {
  const t = text.trim();
  if (t.includes('/')) {
    const slash = t.indexOf('/');
    if (parseIp(t.slice(0, slash)) === null || !/^[0-9]{1,3}$/.test(t.slice(slash + 1))) return null;
    try {
      const [addr, bits] = ipaddr.parseCIDR(t);
      if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
        return [(addr as ipaddr.IPv6).toIPv4Address(), bits - 96];
      }
      return [addr, bits];
    } catch {
      return null;
    }
  }
  const ip = parseIp(t);
  return ip === null ? null : [ip, ip.kind() === 'ipv4' ? 32 : 128];
}

/** True when `ip` lies in one of `networks` (same family only). */
export function inNetworks(
  ip: ipaddr.IPv4 | ipaddr.IPv6,
  networks: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][],
): boolean {
  for (const net of networks) {
    if (ip.kind() === net[0].kind() && ip.match(net)) return true;
  }
  return false;
}

/** Finds the client IP of a request; see {@link GatewaySettings.clientIp}. */
export type ClientIpResolver = (req: IncomingMessage) => string;

/**
 * Builds the client-IP resolver once per gateway.
 *
 * @example
 * const clientIp = createClientIpResolver({ trustedProxies: ['10.0.0.0/8'], mode: 'rightmost-untrusted' });
 */
export function createClientIpResolver(settings: GatewaySettings['clientIp']): ClientIpResolver {
  if (settings.mode === 'xff-first') {
    // WSO2 GatewayUtils.getIp: the first X-Forwarded-For entry, trusted unconditionally.
    return (req) => {
      const xff = req.headers['x-forwarded-for'];
      if (typeof xff === 'string' && xff.length > 0) {
        const comma = xff.indexOf(',');
        const first = (comma < 0 ? xff : xff.slice(0, comma)).trim();
        if (first.length > 0) return normalizeSocketAddress(first);
      }
      return normalizeSocketAddress(req.socket.remoteAddress);
    };
  }
  const trusted = settings.trustedProxies.map(parseNetwork).filter((n) => n !== null);
  if (trusted.length === 0) return (req) => normalizeSocketAddress(req.socket.remoteAddress);
  const isTrusted = (text: string): boolean => {
    const ip = parseIp(text);
    return ip !== null && inNetworks(ip, trusted);
  };
  return (req) => {
    const peer = normalizeSocketAddress(req.socket.remoteAddress);
    const xff = req.headers['x-forwarded-for'];
    if (typeof xff !== 'string' || xff.length === 0 || !isTrusted(peer)) return peer;
    const hops = xff.split(',');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normalizeSocketAddress(hops[i]?.trim());
      if (hop.length > 0 && !isTrusted(hop)) return hop;
    }
    // Every hop is a trusted proxy: the left-most one is the closest we know to the client.
    return normalizeSocketAddress(hops[0]?.trim()) || peer;
  };
}
