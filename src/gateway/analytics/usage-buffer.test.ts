import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LATENCY_BUCKETS, quantileMs, addSparse, type SnapshotApi } from '../../core/index.js';
import { ANONYMOUS, type Principal } from '../pipeline/principal.js';
import { UsageBuffer } from './usage-buffer.js';

const api = { id: 'api-1', name: 'Pizza', version: '1.0.0' } as SnapshotApi;
const other = { id: 'api-2', name: 'Other', version: '2.0.0' } as SnapshotApi;
const app = { id: 7, uuid: 'app-uuid', name: 'Shop', owner: 'alice', throttlingPolicy: 'U', attributes: {} };
const keyed: Principal = { ...ANONYMOUS, kind: 'api-key', jti: 'jti-1', application: app };
const oauth: Principal = { ...ANONYMOUS, kind: 'oauth2', jti: 'j', consumerKey: 'ck-1', application: app };
const T = Date.UTC(2026, 11, 3, 10, 0, 0);

describe('UsageBuffer', () => {
  it('aggregates per minute, API, application, key and status class with exact counts', () => {
    const b = new UsageBuffer(100);
    for (let i = 0; i < 5; i++) b.record(T + i * 1000, api, keyed, 200, 2);
    b.record(T + 59_999, api, keyed, 304, 2); // 3xx counts as 2xx
    b.record(T + 60_000, api, keyed, 200, 2); // next minute
    b.record(T, api, keyed, 404, 1);
    b.record(T, api, keyed, 499, 1);
    b.record(T, api, oauth, 500, 1);
    b.record(T, other, ANONYMOUS, 401, 1);
    const out = b.drain();
    const rows = out
      .map(
        (a) =>
          `${a.minute - T} ${a.apiId} ${a.applicationId} ${a.keyKind}:${a.keyId} ${a.statusClass} ${a.count}`,
      )
      .sort();
    assert.deepEqual(rows, [
      '0 api-1 app-uuid api-key:jti-1 2xx 6',
      '0 api-1 app-uuid api-key:jti-1 4xx 2',
      '0 api-1 app-uuid oauth2:ck-1 5xx 1',
      '0 api-2  none: 4xx 1',
      '60000 api-1 app-uuid api-key:jti-1 2xx 1',
    ]);
    assert.equal(b.size, 0);
    assert.deepEqual(b.drain(), []);
  });

  it('drops and counts when full, never evicting what it holds', () => {
    const b = new UsageBuffer(2);
    b.record(T, api, keyed, 200, 1);
    b.record(T, api, keyed, 500, 1);
    b.record(T, api, keyed, 404, 1); // a third cell: dropped
    b.record(T, api, keyed, 404, 1);
    b.record(T, api, keyed, 200, 1); // an existing cell: counted
    assert.equal(b.dropped, 2);
    assert.deepEqual(
      b.drain().map((a) => [a.statusClass, a.count]),
      [
        ['2xx', 2],
        ['5xx', 1],
      ],
    );
  });

  it('merges the drains of several workers exactly (counts and latency histograms)', () => {
    const w1 = new UsageBuffer(10);
    const w2 = new UsageBuffer(10);
    const single = new UsageBuffer(10);
    const lat = [1, 3, 8, 20, 400, 2, 9, 9, 70];
    lat.forEach((ms, i) => {
      (i % 2 ? w1 : w2).record(T, api, keyed, 200, ms);
      single.record(T, api, keyed, 200, ms);
    });
    const primary = new UsageBuffer(10);
    primary.merge(w1.drain());
    primary.merge(w2.drain());
    const [merged] = primary.drain();
    const [reference] = single.drain();
    assert.deepEqual(merged, reference);
    assert.equal(merged!.count, 9);
    const dense = new Float64Array(LATENCY_BUCKETS);
    addSparse(dense, merged!.latency);
    assert.ok(Math.abs(quantileMs(dense, 0.5)! / 9 - 1) < 0.1);
  });
});
