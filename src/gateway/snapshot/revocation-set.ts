/**
 * The revoked jtis a gateway enforces: jti → expiry (epoch seconds, null = the token never expires). An entry is
 * pruned once its token would be rejected as expired anyway (exp + clock skew in the past), so the set holds only
 * tokens that could still be presented. Entries that never expire cannot be pruned: dropping one would admit a
 * revoked key again, so they are kept, counted, and a warning is logged each time their count crosses
 * `neverExpiringWarnAt` (a multiple of it), which bounds what an operator has to watch.
 *
 * Adding and pruning are O(log n) (a binary min-heap by expiry); `has` is a Map lookup.
 */
export class RevocationSet {
  /** Read by the authenticators on the request path. */
  readonly byJti = new Map<string, number | null>();
  /** Min-heap of [exp, jti]; an entry whose exp no longer matches `byJti` is stale and skipped. */
  readonly #heap: (readonly [number, string])[] = [];
  #neverExpiring = 0;

  constructor(
    private readonly skewSeconds: number,
    private readonly neverExpiringWarnAt: number,
    private readonly onManyNeverExpiring: (count: number) => void,
  ) {}

  get size(): number {
    return this.byJti.size;
  }

  /** Revoked tokens that never expire (kept forever). */
  get neverExpiring(): number {
    return this.#neverExpiring;
  }

  /** Adds (or re-adds) a revocation; idempotent. Returns false when `jti` was already revoked with this exp. */
  add(jti: string, exp: number | null): boolean {
    const had = this.byJti.has(jti);
    const prev = this.byJti.get(jti);
    if (had && prev === exp) return false;
    if (had && prev === null) return false; // never-expiring already: a later exp cannot shorten it
    this.byJti.set(jti, exp);
    if (exp === null) {
      this.#neverExpiring++;
      const every = this.neverExpiringWarnAt;
      if (every > 0 && this.#neverExpiring % every === 0) this.onManyNeverExpiring(this.#neverExpiring);
    } else {
      this.#push([exp, jti]);
    }
    return true;
  }

  /** Drops the revocations of tokens that have expired at `nowMs` (beyond the clock skew). */
  prune(nowMs: number): number {
    const limit = Math.floor(nowMs / 1000) - this.skewSeconds;
    let dropped = 0;
    const heap = this.#heap;
    while (heap.length > 0 && heap[0]![0] < limit) {
      const [exp, jti] = this.#pop();
      if (this.byJti.get(jti) === exp) {
        this.byJti.delete(jti);
        dropped++;
      }
    }
    return dropped;
  }

  #push(entry: readonly [number, string]): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]![0] <= entry[0]) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  #pop(): readonly [number, string] {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heap.length) break;
        const r = l + 1;
        const c = r < heap.length && heap[r]![0] < heap[l]![0] ? r : l;
        if (heap[c]![0] >= last[0]) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}
