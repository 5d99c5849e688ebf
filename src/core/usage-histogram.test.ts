import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addSparse,
  bucketUpperMs,
  LATENCY_BUCKETS,
  latencyBucket,
  quantileMs,
  toSparse,
} from './usage-histogram.js';

const ERROR = 2 ** (1 / 8) - 1;

/** The nearest-rank quantile of raw values, the reference the histogram estimates. */
const exact = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
};
const histogramOf = (values: number[]): Float64Array => {
  const h = new Float64Array(LATENCY_BUCKETS);
  for (const v of values) h[latencyBucket(v)]!++;
  return h;
};

describe('usage latency histogram', () => {
  it('puts each latency in the bucket whose bounds hold it', () => {
    for (const v of [0.51, 0.7, 1, 3.3, 10, 99.9, 1234, 60_000, 131_000]) {
      const i = latencyBucket(v);
      assert.ok(v <= bucketUpperMs(i) * (1 + 1e-12), `${v} ≤ upper of ${i}`);
      assert.ok(v > bucketUpperMs(i - 1) * (1 - 1e-12), `${v} > upper of ${i - 1}`);
    }
    assert.equal(latencyBucket(0), 0);
    assert.equal(latencyBucket(-3), 0);
    assert.equal(latencyBucket(Number.NaN), 0);
    assert.equal(latencyBucket(10_000_000), LATENCY_BUCKETS - 1);
  });

  it('estimates p50 and p95 within the bucket error (2^(1/8) - 1) of the exact nearest rank', () => {
    // A deterministic spread from 0.6 ms to ~100 s (log-uniform, then a slow tail).
    const values: number[] = [];
    let x = 12345;
    for (let i = 0; i < 5000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      values.push(0.6 * 2 ** ((x / 2 ** 31) * 17));
    }
    const h = histogramOf(values);
    for (const q of [0.5, 0.95, 0.99, 1]) {
      const want = exact(values, q);
      const got = quantileMs(h, q)!;
      assert.ok(Math.abs(got / want - 1) <= ERROR + 0.001, `q${q}: ${got} vs ${want}`);
    }
    assert.equal(quantileMs(new Float64Array(LATENCY_BUCKETS), 0.5), null);
  });

  it('merges exactly: the sum of two histograms is the histogram of the union', () => {
    const a = [1, 2, 3, 50, 51, 700];
    const b = [2, 2.1, 9, 5000];
    const merged = histogramOf(a);
    addSparse(merged, toSparse(histogramOf(b)));
    assert.deepEqual([...merged], [...histogramOf([...a, ...b])]);
    assert.equal(quantileMs(merged, 0.5), quantileMs(histogramOf([...a, ...b]), 0.5));
  });
});
