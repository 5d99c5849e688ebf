import type { SnapshotAccessToken } from '../../core/index.js';

/** How long the ids of removed access tokens are remembered against late miss lookups. */
const REMOVED_TOKEN_MEMORY_MS = 10 * 60_000;
/** Expired tokens are swept at most this often (a batch stays O(change) between sweeps). */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * The opaque access tokens a gateway holds (ADR 0006): by HMAC for the request path, by id for deltas, plus the ids
 * whose removal (revocation) was applied recently, so that a lookup answered before the revocation cannot bring a
 * token back. Expired tokens are refused by the authenticator's own expiry check; {@link sweep} only bounds memory.
 */
export class AccessTokenIndex {
  readonly byHash = new Map<string, SnapshotAccessToken>();
  readonly #byId = new Map<string, SnapshotAccessToken>();
  readonly #removed = new Map<string, number>();
  /** Hashes of held tokens that were removed, and when (a revoked token then costs no lookup). */
  readonly #removedHashes = new Map<string, number>();
  #sweptAt: number;

  constructor(tokens: readonly SnapshotAccessToken[], nowMs: number) {
    for (const t of tokens) this.#set(t.id, t);
    this.#sweptAt = nowMs;
  }

  get size(): number {
    return this.#byId.size;
  }

  /** Applies an `accesstoken` delta: the token's state, or null to forget it (remembered as removed). */
  apply(id: string, token: SnapshotAccessToken | null, nowMs: number): void {
    if (token === null) {
      this.#removed.set(id, nowMs);
      const old = this.#byId.get(id);
      if (old !== undefined) this.#removedHashes.set(old.hash, nowMs);
    }
    this.#set(id, token);
  }

  /** True when the token with this HMAC is held, or was held and removed recently: no lookup can help it. */
  known(hash: string): boolean {
    return this.byHash.has(hash) || this.#removedHashes.has(hash);
  }

  /** Adds a token a control plane vouched for; false when expired or removed meanwhile. */
  learn(token: SnapshotAccessToken, nowMs: number): boolean {
    if (this.#removed.has(token.id)) return false;
    if (token.expiresAt !== null && token.expiresAt <= nowMs) return false;
    this.#set(token.id, token);
    return true;
  }

  /** Drops expired tokens and old removal memories, at most once per {@link SWEEP_INTERVAL_MS}. */
  sweep(nowMs: number): void {
    if (nowMs - this.#sweptAt < SWEEP_INTERVAL_MS) return;
    this.#sweptAt = nowMs;
    for (const [id, t] of this.#byId) if (t.expiresAt !== null && t.expiresAt <= nowMs) this.#set(id, null);
    const stale = nowMs - REMOVED_TOKEN_MEMORY_MS;
    for (const [id, at] of this.#removed) if (at < stale) this.#removed.delete(id);
    for (const [hash, at] of this.#removedHashes) if (at < stale) this.#removedHashes.delete(hash);
  }

  #set(id: string, token: SnapshotAccessToken | null): void {
    const old = this.#byId.get(id);
    if (old !== undefined) this.byHash.delete(old.hash);
    if (token === null) {
      this.#byId.delete(id);
      return;
    }
    this.#byId.set(id, token);
    this.byHash.set(token.hash, token);
  }
}
