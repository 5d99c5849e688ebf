/** One cached verification result. */
export interface CachedToken<V> {
  /** The exact raw token that was verified. */
  readonly token: string;
  readonly jti: string;
  /** Epoch ms after which the entry must not be used. */
  readonly expiresAt: number;
  readonly value: V;
}

/**
 * Bounded, expiry-aware cache of verified tokens (WSO2 "gateway token cache"), keyed by the exact raw token text,
 * so a hit always means "this very string was verified" (a token with the same jti but other bytes misses).
 * The oldest entry is dropped when full. Entries can be evicted by jti when a revocation arrives.
 *
 * The map is keyed by the token's last {@link KEY_CHARS} characters (inside the signature, so effectively random)
 * and a hit also compares the whole token: V8 hashes a string once per string object, and every request brings a
 * new ~700-1200 character string, so hashing only a short tail and comparing with memcmp is several times cheaper
 * than using the whole token as the key. Two different tokens sharing a tail simply replace each other.
 *
 * @example
 * const cache = new VerifiedTokenCache<Claims>({ enabled: true, ttlMs: 900_000, maxEntries: 10_000 });
 */
const KEY_CHARS = 24;

export class VerifiedTokenCache<V> {
  readonly #entries = new Map<string, CachedToken<V>>();
  readonly #max: number;
  readonly #ttlMs: number;
  /** Lookups that found a usable entry, and those that did not, since creation (exported as metrics). */
  hits = 0;
  misses = 0;

  constructor(options: { enabled: boolean; ttlMs: number; maxEntries: number }) {
    this.#max = options.enabled ? Math.max(0, options.maxEntries) : 0;
    this.#ttlMs = options.ttlMs;
  }

  /** The entry for `token`, or undefined when absent or expired at `now`. */
  get(token: string, now: number): CachedToken<V> | undefined {
    const key = token.slice(-KEY_CHARS);
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.token !== token) {
      this.misses++;
      return undefined;
    }
    if (now >= entry.expiresAt) {
      this.#entries.delete(key);
      this.misses++;
      return undefined;
    }
    this.hits++;
    return entry;
  }

  /** Caches `value` until min(now + ttl, `notAfterMs`) (`notAfterMs` null = no expiry of its own). */
  set(token: string, jti: string, notAfterMs: number | null, value: V, now: number): void {
    if (this.#max === 0) return;
    const ttlEnd = now + this.#ttlMs;
    const expiresAt = notAfterMs === null ? ttlEnd : Math.min(ttlEnd, notAfterMs);
    if (expiresAt <= now) return;
    const key = token.slice(-KEY_CHARS);
    if (this.#entries.size >= this.#max && !this.#entries.has(key)) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { token, jti, expiresAt, value });
  }

  /** Drops every entry whose jti is in `revoked`; returns how many were dropped. */
  evictRevoked(revoked: ReadonlyMap<string, unknown>): number {
    if (revoked.size === 0) return 0;
    let dropped = 0;
    for (const [key, entry] of this.#entries) {
      if (entry.jti !== '' && revoked.has(entry.jti)) {
        this.#entries.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}
