import type ipaddr from 'ipaddr.js';
import {
  parseReferer,
  parseRefererPattern,
  refererAllowed,
  type RefererPattern,
} from '../../../core/index.js';
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

/** A compiled `permittedReferer` claim: the patterns that parsed (an empty list refuses every Referer). */
export type RefererRestriction = readonly RefererPattern[];

/**
 * Compiles a `permittedReferer` claim (comma list of URL patterns, see {@link RefererPattern}). Null when absent
 * or empty (no restriction). Entries that are not patterns never match, so a non-empty claim with no usable entry
 * refuses everything rather than nothing. A lone `*` host is honoured here (WSO2 may have issued it) though new
 * keys cannot carry it.
 */
export function compileRefererRestriction(claim: unknown): RefererRestriction | null {
  if (typeof claim !== 'string' || claim.trim() === '') return null;
  const patterns: RefererPattern[] = [];
  for (const entry of claim.split(',')) {
    if (entry.trim() === '') continue;
    const p = parseRefererPattern(entry, true);
    if (!('error' in p)) patterns.push(p);
  }
  return Object.freeze(patterns);
}

/**
 * True when the request's `Referer` (exactly one header; a repeated or unparseable one never passes) satisfies
 * the restriction. WSO2 refuses a missing Referer too (product-apim#9581).
 */
export function refererPasses(rule: RefererRestriction, referer: string | undefined, count: number): boolean {
  if (referer === undefined || count !== 1) return false;
  const parsed = parseReferer(referer);
  return parsed !== null && refererAllowed(rule, parsed);
}
