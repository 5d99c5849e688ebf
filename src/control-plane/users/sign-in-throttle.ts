import ipaddr from 'ipaddr.js';
import type { Clock } from '../../core/index.js';

/** Tuning of {@link createSignInThrottle}; every field has a default. */
export interface SignInThrottleOptions {
  /** Wrong passwords a (user, address) pair may send before backoff starts. Default 3. */
  freePerUser?: number;
  /** Wrong passwords an address may send, over all user names, before backoff starts. Default 20. */
  freePerAddress?: number;
  /** First backoff; it doubles with each further failure. Default 1 s. */
  baseDelayMs?: number;
  /** Longest backoff. Default 15 min. */
  maxDelayMs?: number;
  /** A counter with no failure for this long is forgotten. Default 1 h (never below maxDelayMs). */
  forgetAfterMs?: number;
  /** Most counters kept per table; the least recently failed are dropped first. Default 20,000. */
  maxEntries?: number;
  /** Told (at most once a minute) when a table is full and live counters are dropped. */
  onOverflow?: (table: 'user' | 'address', size: number) => void;
}

/** One reserved attempt; settle it exactly once. */
export interface SignInAttempt {
  /** The password was right: forgets the pair's failures (the address keeps those of other names). */
  succeeded(): void;
  /** The password was wrong. Returns how long the pair or address is now locked (0 = not locked). */
  failed(): { lockedForMs: number };
  /** The attempt could not be checked (a store error): undoes its reservation only. */
  cancelled(): void;
}

/** What {@link SignInThrottle.begin} answers. */
export type SignInGate =
  | { allowed: true; attempt: SignInAttempt }
  | { allowed: false; retryAfterMs: number; scope: 'user' | 'address' }
  /**
   * Attempts in flight already use up the free ones: ask again when one of them settles. Concurrent correct
   * passwords are thus delayed by a password check, never refused; concurrent guesses never exceed the free ones.
   */
  | { allowed: 'wait'; settled: Promise<void> };

/**
 * Sign-in throttling per (user name, client network) and per client network, with exponential backoff. A
 * correct password from a network with no recent failures is never refused: failures from elsewhere do not count.
 * Counters live in this process's memory, in two bounded tables (LRU by last failure).
 */
export interface SignInThrottle {
  /**
   * Checks whether an attempt may be verified now and, if so, reserves it until it is settled. Only settled
   * failures lock; reservations count against the free attempts, so concurrent guesses cannot exceed them.
   */
  begin(username: string, clientIp: string): SignInGate;
  /** Counters currently held (both tables), for tests and metrics. */
  size(): number;
}

interface Counter {
  failures: number;
  /** Attempts begun and not yet settled. A counter with some is never forgotten or dropped. */
  pending: number;
  lastFailureAt: number;
}

const OVERFLOW_LOG_INTERVAL_MS = 60_000;

/**
 * Builds the in-memory sign-in throttle.
 * @example const throttle = createSignInThrottle(clock); const gate = throttle.begin('admin', request.ip);
 */
export function createSignInThrottle(clock: Clock, opts: SignInThrottleOptions = {}): SignInThrottle {
  const freePerUser = opts.freePerUser ?? 3;
  const freePerAddress = opts.freePerAddress ?? 20;
  const base = opts.baseDelayMs ?? 1000;
  const max = opts.maxDelayMs ?? 15 * 60_000;
  const forgetAfter = Math.max(opts.forgetAfterMs ?? 60 * 60_000, max);
  const maxEntries = opts.maxEntries ?? 20_000;
  const pairs = new Map<string, Counter>();
  const addresses = new Map<string, Counter>();
  const lastOverflowReport = { user: -Infinity, address: -Infinity };

  const delayOf = (c: Counter | undefined, free: number): number =>
    !c || c.failures < free ? 0 : Math.min(max, base * 2 ** Math.min(c.failures - free, 40));
  const lockLeft = (c: Counter | undefined, free: number, now: number): number => {
    const d = delayOf(c, free);
    return d === 0 || !c ? 0 : Math.max(0, c.lastFailureAt + d - now);
  };

  /** The live counter of `key`, or undefined once it is forgotten. */
  const get = (table: Map<string, Counter>, key: string, now: number): Counter | undefined => {
    const c = table.get(key);
    if (c && c.pending === 0 && now - c.lastFailureAt > forgetAfter) {
      table.delete(key);
      return undefined;
    }
    return c;
  };

  /** The counter of `key`, created if needed, moved to the back (most recent); the table stays bounded. */
  const touch = (table: Map<string, Counter>, name: 'user' | 'address', key: string, now: number) => {
    const c = get(table, key, now) ?? { failures: 0, pending: 0, lastFailureAt: now };
    // Re-insert so the Map's order stays "least recently failed first": the front is what expires or goes first.
    table.delete(key);
    table.set(key, c);
    for (const [k, oldest] of table) {
      if (oldest.pending > 0) continue;
      const expired = now - oldest.lastFailureAt > forgetAfter;
      if (!expired && table.size <= maxEntries) break;
      table.delete(k);
      if (!expired && now - lastOverflowReport[name] >= OVERFLOW_LOG_INTERVAL_MS) {
        lastOverflowReport[name] = now;
        opts.onOverflow?.(name, table.size);
      }
    }
    return c;
  };
  const tidy = (table: Map<string, Counter>, key: string, c: Counter) => {
    if (c.failures === 0 && c.pending === 0 && table.get(key) === c) table.delete(key);
  };

  /**
   * Callers told to wait, by network: a full pair or a full address is one of that network's, so only an attempt
   * of the same network settling can make room (the woken ask again).
   */
  const waiters = new Map<string, (() => void)[]>();
  const waitFor = (network: string) =>
    new Promise<void>((resolve) => {
      const list = waiters.get(network);
      if (list) list.push(resolve);
      else waiters.set(network, [resolve]);
    });
  const wake = (network: string) => {
    const woken = waiters.get(network);
    if (!woken) return;
    waiters.delete(network);
    for (const w of woken) w();
  };

  return {
    begin(username, clientIp) {
      const now = clock.now();
      const network = networkOf(clientIp);
      const pairKey = `${network} ${username}`;
      const userWait = lockLeft(get(pairs, pairKey, now), freePerUser, now);
      const addressWait = lockLeft(get(addresses, network, now), freePerAddress, now);
      if (userWait > 0 || addressWait > 0) {
        return userWait >= addressWait
          ? { allowed: false, retryAfterMs: userWait, scope: 'user' }
          : { allowed: false, retryAfterMs: addressWait, scope: 'address' };
      }
      const known = { pair: get(pairs, pairKey, now), address: get(addresses, network, now) };
      // Past the free attempts (the lock having elapsed), one attempt at a time.
      const full = (c: Counter | undefined, free: number) =>
        !!c && c.pending > 0 && c.failures + c.pending >= free;
      if (full(known.pair, freePerUser) || full(known.address, freePerAddress)) {
        return { allowed: 'wait', settled: waitFor(network) };
      }
      const pair = touch(pairs, 'user', pairKey, now);
      const address = touch(addresses, 'address', network, now);
      pair.pending += 1;
      address.pending += 1;
      let settled = false;
      const settle = () => {
        if (settled) throw new Error('sign-in attempt settled twice');
        settled = true;
        pair.pending -= 1;
        address.pending -= 1;
      };
      return {
        allowed: true,
        attempt: {
          succeeded() {
            settle();
            // The pair's failures were this user's own typos: forgive them at the address level too.
            address.failures = Math.max(0, address.failures - pair.failures);
            pair.failures = 0;
            tidy(pairs, pairKey, pair);
            tidy(addresses, network, address);
            wake(network);
          },
          cancelled() {
            settle();
            tidy(pairs, pairKey, pair);
            tidy(addresses, network, address);
            wake(network);
          },
          failed() {
            settle();
            const at = clock.now();
            for (const [table, name, key, c] of [
              [pairs, 'user', pairKey, pair],
              [addresses, 'address', network, address],
            ] as const) {
              c.failures += 1;
              c.lastFailureAt = at;
              if (table.get(key) === c) touch(table, name, key, at);
              else table.set(key, c);
            }
            wake(network);
            return {
              lockedForMs: Math.max(delayOf(pair, freePerUser), delayOf(address, freePerAddress)),
            };
          },
        },
      };
    },
    size: () => pairs.size + addresses.size,
  };
}

/**
 * The network a client address is counted under: an IPv4 address itself (IPv4-mapped IPv6 unwrapped), the /64 of
 * an IPv6 address (one subscriber usually holds a whole /64), or the text itself when it is not an address.
 */
export function networkOf(clientIp: string): string {
  if (!ipaddr.isValid(clientIp)) return clientIp.slice(0, 64);
  let ip = ipaddr.parse(clientIp);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
    ip = (ip as ipaddr.IPv6).toIPv4Address();
  }
  if (ip.kind() === 'ipv4') return ip.toString();
  const parts = (ip as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}
