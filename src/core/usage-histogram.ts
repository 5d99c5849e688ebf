/**
 * The latency histogram of usage analytics: fixed log-scale buckets, identical in every gateway, worker and
 * control plane, so two histograms merge exactly by adding their counts (no sketch, no sampling).
 *
 * Bucket 0 holds latencies ≤ 0.5 ms; bucket i (1 ≤ i ≤ 72) holds (0.5·2^((i-1)/4), 0.5·2^(i/4)] ms, four buckets
 * per doubling, up to 0.5·2^18 ms ≈ 131 s; bucket 73 holds everything slower. A quantile is derived by nearest
 * rank: the bucket holding the ⌈q·count⌉-th smallest latency is found and its geometric midpoint reported, so the
 * estimate is within 2^(1/8) − 1 ≈ 9.05 % of the true nearest-rank latency between 0.5 ms and 131 s.
 *
 * Wire contract (gateway → control plane → store): change docs/usage-analytics.md and the tests in the same commit.
 */

/** Number of buckets, overflow included. */
export const LATENCY_BUCKETS = 74;
/** Upper bound of bucket 0, milliseconds. */
const MIN_MS = 0.5;
const PER_DOUBLING = 4;
const LAST = LATENCY_BUCKETS - 1;

/** Sparse histogram: `[bucketIndex, count]` pairs, indices ascending, counts > 0. */
export type SparseHistogram = readonly (readonly [number, number])[];

/** The bucket a latency (milliseconds, ≥ 0) falls into. */
export function latencyBucket(ms: number): number {
  if (!(ms > MIN_MS)) return 0; // also NaN and negatives (a clock step): the fastest bucket
  const i = Math.ceil(PER_DOUBLING * Math.log2(ms / MIN_MS));
  return i > LAST ? LAST : i;
}

/** The inclusive upper bound of bucket `i` in milliseconds (Infinity for the overflow bucket). */
export function bucketUpperMs(i: number): number {
  return i >= LAST ? Infinity : MIN_MS * 2 ** (i / PER_DOUBLING);
}

/** The value reported for latencies in bucket `i`: its geometric midpoint (bucket 0: 0.25 ms; overflow: its floor). */
export function bucketValueMs(i: number): number {
  if (i <= 0) return MIN_MS / 2;
  if (i >= LAST) return bucketUpperMs(LAST - 1);
  return MIN_MS * 2 ** ((i - 0.5) / PER_DOUBLING);
}

/** Adds `from` into the dense `into` (length {@link LATENCY_BUCKETS}). Ignores pairs outside the layout. */
export function addSparse(into: Float64Array | number[], from: SparseHistogram): void {
  for (const [i, n] of from) if (i >= 0 && i < LATENCY_BUCKETS) into[i] = (into[i] ?? 0) + n;
}

/** The sparse form of a dense histogram. */
export function toSparse(dense: ArrayLike<number>): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < dense.length; i++) if (dense[i]! > 0) out.push([i, dense[i]!]);
  return out;
}

/**
 * The nearest-rank `q`-quantile (0 < q ≤ 1) of a dense histogram in milliseconds, rounded to 0.01 ms; null when
 * the histogram is empty.
 */
export function quantileMs(dense: ArrayLike<number>, q: number): number | null {
  let total = 0;
  for (let i = 0; i < dense.length; i++) total += dense[i]!;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < dense.length; i++) {
    seen += dense[i]!;
    if (seen >= rank) return Math.round(bucketValueMs(i) * 100) / 100;
  }
  return Math.round(bucketValueMs(dense.length - 1) * 100) / 100;
}
