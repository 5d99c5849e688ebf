import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pino from 'pino';
import { systemClock, type DeltaBatch, type Snapshot } from '../../core/index.js';
import { createInProcessBus } from '../../events/index.js';
import { waitFor } from '../../../test/support/http.js';
import { startStack, type Stack } from '../../../test/support/stack.js';
import { startTcpProxy } from '../../../test/support/tcp-proxy.js';
import { createControlPlaneClient } from './control-plane-client.js';
import { startHeartbeats } from './heartbeat-sender.js';
import { readPersistedSnapshot, writePersistedSnapshot } from './persisted-snapshot.js';
import { createRemoteSnapshotSource } from './remote-snapshot-source.js';

let stack: Stack;
let cp: string;
const DEAD = 'http://127.0.0.1:1';

before(async () => {
  stack = await startStack({ mode: 'control-plane' });
  cp = stack.server.urls.controlPlaneHttp!;
});
after(() => stack.stop());

/** A pino logger whose lines the test reads. */
function capture() {
  const lines: { level: number; msg: string; [k: string]: unknown }[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s)) });
  return { logger, lines, said: (re: RegExp) => lines.filter((l) => re.test(l.msg)).length };
}

function sourceFor(
  urls: string[],
  cacheFile: string,
  log = capture(),
  bus = createInProcessBus(),
  pollIntervalMs = 300,
) {
  const client = createControlPlaneClient({
    urls,
    username: 'admin',
    password: stack.adminPassword,
    ca: [],
    logger: log.logger,
    timeoutMs: 2000,
  });
  const source = createRemoteSnapshotSource({
    client,
    pollIntervalMs,
    bus,
    cacheFile,
    persistIntervalMs: 50,
    clock: systemClock,
    logger: log.logger,
  });
  return { client, source, log, bus };
}

const cacheIn = () => join(mkdtempSync(join(tmpdir(), 'portico-rss-')), 'gateway', 'snapshot.json');
const newApplication = async (name: string) => {
  const r = await stack.rest('POST', '/api/am/devportal/v3/applications', {
    name,
    throttlingPolicy: 'Unlimited',
  });
  assert.equal(r.status, 201, r.text);
};
const head = async () =>
  (await stack.rest('GET', '/internal/data/v1/snapshot/version')).json().version as number;

test('a corrupt persisted snapshot is ignored with a warning; the live one is loaded and persisted', async (t) => {
  const file = cacheIn();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, 'PORTICO-SNAPSHOT 1 sha256=00 length=1 savedAt=1\n{');
  const { source, log } = sourceFor([cp], file);
  t.after(() => source.close());
  const first = await source.current();
  assert.equal(first.version, await head());
  assert.equal(log.said(/persisted snapshot ignored/), 1);
  assert.equal(source.status().origin, 'live');
  await waitFor(() => readPersistedSnapshot(file).status === 'ok', 3000);
});

test('batches reach subscribeChanges in order without overlap, a gap pulls the log, resync hands a whole snapshot', async (t) => {
  const file = cacheIn();
  const bus = createInProcessBus();
  // Polls too rare to matter here: only the gap can bring the missing versions.
  const { source } = sourceFor([cp], file, capture(), bus, 60_000);
  t.after(() => source.close());
  await source.current();
  const batches: DeltaBatch[] = [];
  const wholes: Snapshot[] = [];
  source.subscribeChanges((b) => batches.push(b));
  source.subscribe((s) => wholes.push(s));
  const start = source.status().version;
  await newApplication('RssOne');
  await newApplication('RssTwo');
  const target = await head();
  // A batch far ahead of the gateway (versions it never saw): it must read start+1.. from the log first.
  await bus.publish({
    type: 'changes',
    at: Date.now(),
    payload: { from: target + 5, to: target + 6, deltas: [] },
  });
  await waitFor(() => source.status().version >= target, 3000);
  assert.ok(batches.length > 0);
  assert.equal(batches[0]!.from, start + 1);
  for (let i = 1; i < batches.length; i++)
    assert.equal(batches[i]!.from, batches[i - 1]!.to + 1, 'contiguous');
  const names = batches
    .flatMap((b) => b.deltas)
    .flatMap((d) => (d.kind === 'application' ? [d.application?.name] : []));
  assert.ok(names.includes('RssOne') && names.includes('RssTwo'), names.join());
  assert.equal(wholes.length, 0, 'a consumer of changes gets no whole snapshot per batch');
  // A batch already applied is not handed out again.
  const n = batches.length;
  await bus.publish({ type: 'changes', at: Date.now(), payload: { ...batches[0]! } });
  assert.equal(batches.length, n);

  await source.resync();
  assert.equal(wholes.length, 1, 'resync settles once the full snapshot is handed out');
  assert.equal(wholes[0]!.version, target);
  // Asked for while a catch-up is under way, it still settles only after a full snapshot.
  const created = newApplication('RssDuringCatchUp');
  source.noteHead(target + 1);
  await source.resync();
  assert.equal(wholes.length, 2);
  await created;
  await waitFor(() => {
    const r = readPersistedSnapshot(file);
    return r.status === 'ok' && r.snapshot.version === target;
  }, 3000);
});

test('a persisted snapshot ahead of the log (410) is replaced by a full snapshot before it is served', async (t) => {
  const file = cacheIn();
  const live = (await stack.rest('GET', '/internal/data/v1/snapshot')).json() as Snapshot;
  await writePersistedSnapshot(file, { ...live, version: 1_000_000, apis: [] }, 1);
  const { source, log } = sourceFor([cp], file);
  t.after(() => source.close());
  const first = await source.current();
  assert.equal(first.version, live.version);
  assert.equal(first.apis.length, live.apis.length);
  assert.equal(log.said(/no longer reaches back/), 1);
});

test('no control plane answers: the persisted snapshot is served (origin cache) and retried, said once', async (t) => {
  const file = cacheIn();
  const live = (await stack.rest('GET', '/internal/data/v1/snapshot')).json() as Snapshot;
  await writePersistedSnapshot(file, live, 1234);
  const { source, log } = sourceFor([DEAD], file);
  t.after(() => source.close());
  assert.equal((await source.current()).version, live.version);
  const s = source.status();
  assert.deepEqual(
    [s.origin, s.version, s.appliedAt, s.lastContactAt, s.transport],
    ['cache', live.version, 1234, null, 'none'],
  );
  await new Promise((r) => setTimeout(r, 2500)); // a few retries
  assert.equal(log.said(/no control plane answers/), 1, 'once per state change, not per retry');
});

test('from the persisted snapshot to live at the first answer, catching up from the log', async (t) => {
  const file = cacheIn();
  const live = (await stack.rest('GET', '/internal/data/v1/snapshot')).json() as Snapshot;
  await writePersistedSnapshot(file, live, 1);
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(cp).port) });
  t.after(() => proxy.close());
  await proxy.cut();
  const { source, log } = sourceFor([`http://127.0.0.1:${proxy.port}`], file);
  t.after(() => source.close());
  await source.current();
  assert.equal(source.status().origin, 'cache');
  await newApplication('RssWhileDown');
  const v = await head();
  await proxy.restore();
  await waitFor(() => source.status().version === v, 5000);
  const s = source.status();
  assert.equal(s.origin, 'live');
  assert.ok(s.lastContactAt !== null && s.transport === 'push');
  assert.ok((await source.current()).applications.some((a) => a.name === 'RssWhileDown'));
  assert.equal(log.said(/leaving the persisted snapshot/), 1);
});

test('failover: the next control plane is used when the first refuses, logged once, and kept', async (t) => {
  const file = cacheIn();
  const { source, client, log } = sourceFor([DEAD, cp], file);
  t.after(() => source.close());
  await source.current();
  await new Promise((r) => setTimeout(r, 1000)); // several polls
  assert.equal(client.active(), cp);
  assert.equal(log.said(/control plane failover/), 1);
  assert.equal(source.status().controlPlaneUrl, cp);
});

test('heartbeats register the gateway at the version it serves and bring back the head', async (t) => {
  const { source, client, log } = sourceFor([cp], cacheIn());
  t.after(() => source.close());
  await source.current();
  const hb = startHeartbeats({
    client,
    source,
    id: '6f1c2d5e-0000-4000-8000-000000000001',
    address: 'https://gw.test:8243',
    softwareVersion: '0.0.0-test',
    startedAt: Date.now(),
    intervalMs: 200,
    logger: log.logger,
  });
  t.after(() => hb.stop());
  await newApplication('RssBeat');
  const v = await head();
  await waitFor(async () => {
    const list = (await stack.rest('GET', '/api/am/admin/v4/gateways')).json().list as {
      gatewayId: string;
      appliedVersion: number;
      source: string;
    }[];
    const me = list.find((g) => g.gatewayId === '6f1c2d5e-0000-4000-8000-000000000001');
    return me?.appliedVersion === v && me.source === 'live';
  }, 5000);
  assert.equal(source.status().head, v);
});
