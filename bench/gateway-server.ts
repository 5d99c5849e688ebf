/**
 * Portico gateway for the benchmark: waits for `{ snapshot }` from the parent, then serves it with `createGateway`
 * on a real node:http server (`workers` = 0), or through `startGatewayWorkers` with N worker processes.
 *   args: [workers=0] [metrics|no-metrics] [OTLP traces URL or '': tracing on, every request sampled] [usage|no-usage]
 * `usage`: usage analytics on ([analytics] defaults: 20 000 cells, flushed every 10 s to a sink that drops them).
 */
import http from 'node:http';
import pino from 'pino';
import { systemClock, type Snapshot } from '../src/core/index.js';
import { startGatewayWorkers } from '../src/gateway/cluster/index.js';
import {
  createGateway,
  defaultGatewaySettings,
  startUsageFlusher,
  UsageBuffer,
} from '../src/gateway/index.js';
import { StaticSnapshotSource } from '../src/gateway/test-support/static-snapshot-source.js';
import { announce } from './child.js';

const workers = Number(process.argv[2] ?? 0);
const metrics = process.argv[3] === 'metrics';
const otlpEndpoint = process.argv[4] || undefined;
const usage = process.argv[5] === 'usage' ? new UsageBuffer(20_000) : undefined;
const logger = pino({ level: 'warn' });

process.once('message', (msg: { snapshot: Snapshot }) => {
  void start(msg.snapshot);
});

async function start(snapshot: Snapshot): Promise<void> {
  const snapshotSource = new StaticSnapshotSource(snapshot);
  const settings = {
    ...defaultGatewaySettings(),
    ...(metrics ? { metrics: { access: 'loopback' as const, token: '' } } : {}),
    ...(otlpEndpoint ? { tracing: { otlpEndpoint, serviceName: 'bench', sampleRatio: 1 } } : {}),
  };
  if (workers === 0) {
    if (usage) startUsageFlusher({ buffer: usage, sink: async () => {}, intervalMs: 10_000, logger });
    const gateway = createGateway({
      snapshotSource,
      clock: systemClock,
      logger,
      settings,
      version: 'bench',
      ...(usage ? { usage } : {}),
    });
    await gateway.ready();
    const server = http.createServer(gateway.handle);
    server.keepAliveTimeout = 60_000;
    announce(server);
    return;
  }
  const pool = await startGatewayWorkers({
    workers,
    snapshotSource,
    settings,
    logger,
    version: 'bench',
    listeners: [{ host: '127.0.0.1', port: 0 }],
  });
  process.on('disconnect', () => void pool.close().finally(() => process.exit(0)));
  process.send?.({ port: pool.ports[0] });
}
