import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { startPeriodicTask } from './periodic-task.js';

function recordingLogger(): { logger: pino.Logger; lines: Array<{ msg: string; removed?: number }> } {
  const lines: Array<{ msg: string; removed?: number }> = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { logger, lines };
}

test('periodic task: never two runs at once, a failure is logged and retried, stop waits for the run', async () => {
  const { logger, lines } = recordingLogger();
  let active = 0;
  let maxActive = 0;
  let runs = 0;
  let release: (() => void) | null = null;
  const stop = startPeriodicTask({
    logger,
    intervalMs: 5,
    done: 'pruned',
    failed: 'prune failed',
    run: async () => {
      runs++;
      active++;
      maxActive = Math.max(maxActive, active);
      try {
        if (runs === 1) throw new Error('store away');
        if (runs === 2) await new Promise<void>((r) => (release = r));
        return runs === 3 ? 2 : 0;
      } finally {
        active--;
      }
    },
  });
  for (let i = 0; i < 200 && release === null; i++) await sleep(5);
  assert.ok(release, 'retried after the failure');
  await sleep(30); // ticks during the slow second run are skipped
  assert.equal(runs, 2);
  (release as () => void)();
  for (let i = 0; i < 200 && runs < 3; i++) await sleep(5);
  await stop();
  const after = runs;
  await sleep(30);
  assert.equal(runs, after, 'no run after stop');
  assert.equal(maxActive, 1);
  assert.deepEqual(
    lines.map((l) => [l.msg, l.removed]),
    [
      ['prune failed', undefined],
      ['pruned', 2],
    ],
  );
});
