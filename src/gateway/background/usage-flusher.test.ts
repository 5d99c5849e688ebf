import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import type { SnapshotApi, UsageBatch } from '../../core/index.js';
import { UsageBuffer } from '../analytics/usage-buffer.js';
import { ANONYMOUS } from '../pipeline/principal.js';
import { startUsageFlusher } from './usage-flusher.js';

const logger = pino({ level: 'silent' });
const api = { id: 'api-1', name: 'Pizza', version: '1.0.0' } as SnapshotApi;

describe('usage flusher', () => {
  it('resends a failed batch under the same flush id before anything newer', async () => {
    const buffer = new UsageBuffer(100);
    const seen: UsageBatch[] = [];
    let fail = true;
    const flusher = startUsageFlusher({
      buffer,
      logger,
      intervalMs: 3_600_000,
      sink: async (b) => {
        seen.push(b);
        if (fail) throw new Error('control plane down');
      },
    });
    buffer.record(0, api, ANONYMOUS, 200, 1);
    await flusher.flush();
    assert.equal(flusher.status().pending, true);
    buffer.record(0, api, ANONYMOUS, 500, 1); // arrives while the first batch waits
    fail = false;
    await flusher.flush();
    await flusher.flush();
    assert.equal(seen.length, 3);
    assert.equal(seen[1]!.flushId, seen[0]!.flushId);
    assert.deepEqual(seen[1]!.aggregates, seen[0]!.aggregates);
    assert.notEqual(seen[2]!.flushId, seen[0]!.flushId);
    assert.deepEqual(
      seen[2]!.aggregates.map((a) => a.statusClass),
      ['5xx'],
    );
    assert.deepEqual(flusher.status(), { flushedAggregates: 2, failedFlushes: 1, pending: false });
    await flusher.stop();
  });

  it('sends nothing when nothing was recorded', async () => {
    let calls = 0;
    const flusher = startUsageFlusher({
      buffer: new UsageBuffer(1),
      logger,
      intervalMs: 3_600_000,
      sink: async () => void calls++,
    });
    await flusher.flush();
    await flusher.stop();
    assert.equal(calls, 0);
  });
});
