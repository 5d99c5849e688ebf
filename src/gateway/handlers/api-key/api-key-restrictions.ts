import type ipaddr from 'ipaddr.js';
import { inNetworks, parseIp, parseNetwork } from '../../net/client-ip-resolver.js';

/** A compiled `permittedIP` claim. */
export type IpRestriction = readonly [ipaddr.IPv4 | ipaddr.IPv6, number][];

/**
 * Compiles a `permittedIP` claim (comma list of IPv4/IPv6 addresses and CIDRs). Null when the claim is absent or
 * empty (no restriction). Entries that are not addresses are kept out, so they never match.
 *
 * Portico compares addresses, not strings: `2002:eb8::2` equals `2002:0eb8:0:0:0:0:0:2`, and an IPv4-mapped IPv6
 * address equals its IPv4 form (WSO2 compares non-CIDR entries as strings).
 */
export function compileIpRestriction(claim: unknown): IpRestriction | null {
  if (typeof claim !== 'string' || claim.trim() === '') return null;
  return Object.freeze(
    claim
      .split(',')
      .map(parseNetwork)
      .filter((n) => n !== null),
  );
}

/** True when `clientIp` is allowed by the restriction. An empty client IP skips the rule (WSO2). */
export function ipAllowed(rule: IpRestriction, clientIp: string): boolean {
  if (clientIp === '') return true;
  const ip = parseIp(clientIp);
  return ip !== null && inNetworks(ip, rule);
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Compiles a `permittedReferer` claim (comma list of URL patterns) into one full-match regex. `*` matches any
 * run of non-space characters (WSO2 `[^ ]*`); every other character is literal (WSO2 leaves `.`, `?`, `+` live:
 * Portico does not). A pattern without a scheme also matches `http://` and `https://` (WSO2 would not match a
 * browser's `https://www.example.com/path` against `www.example.com/path`). Null when absent or empty.
 */
export function compileRefererRestriction(claim: unknown): RegExp | null {
  if (typeof claim !== 'string' || claim.trim() === '') return null;
  const alternatives = claim
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => {
      const body = p
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
        .join('[^ ]*');
      return SCHEME.test(p) || p.startsWith('*') ? body : `(?:https?:\\/\\/)?${body}`;
    });
  // A non-empty claim with no usable pattern denies everything rather than nothing.
  if (alternatives.length === 0) return /(?!)/;
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}
