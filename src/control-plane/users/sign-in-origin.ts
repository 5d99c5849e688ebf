import ipaddr from 'ipaddr.js';

/** Where a sign-in attempt comes from: the client address and whether it arrived over TLS. */
export interface SignInOrigin {
  /** The client IP (the socket peer, or the forwarded client when the peer is a trusted proxy). */
  readonly ip: string;
  /** True when the request reached Portico over HTTPS (or a trusted proxy says it did). */
  readonly tls: boolean;
  /**
   * How the password arrived, for the audit log: a `basic` (REST Basic auth, checked on every request) success
   * is not recorded, its failures are; every other sign-in is recorded either way. Absent = `other`.
   */
  readonly channel?: 'basic' | 'session' | 'password-grant' | 'introspection' | 'other';
}

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopbackAddress(ip: string): boolean {
  // The spellings a local socket peer has, answered without parsing (every password request over plain HTTP asks).
  if (ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1') return true;
  if (!ipaddr.isValid(ip)) return false;
  let addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
  }
  return addr.range() === 'loopback';
}

/**
 * True when a password must not be accepted from `origin`: it came over plain HTTP from another machine and
 * `[server] allow_insecure_auth` is off. Loopback is exempt (local scripts, the built-in sample deployment).
 */
export function cleartextPasswordRefused(origin: SignInOrigin, allowInsecureAuth: boolean): boolean {
  return !origin.tls && !allowInsecureAuth && !isLoopbackAddress(origin.ip);
}
