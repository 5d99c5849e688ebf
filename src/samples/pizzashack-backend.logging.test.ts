import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { ConfigSchema } from '../config/schema.js';
import { pizzaShackBackend, PIZZASHACK_BACKEND_PATH } from './index.js';

/** The sample on a Fastify app logging at `level`; returns the app and the log lines it wrote. */
async function sampleApp(level: string) {
  const lines: { msg?: string; level?: number }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  const app = Fastify({ loggerInstance: pino({ level }, stream) as FastifyBaseLogger });
  pizzaShackBackend(app);
  await app.ready();
  return { app, lines };
}

async function traffic(app: Awaited<ReturnType<typeof sampleApp>>['app']) {
  const base = PIZZASHACK_BACKEND_PATH;
  assert.equal((await app.inject({ method: 'GET', url: `${base}/menu` })).statusCode, 200);
  const order = await app.inject({ method: 'POST', url: `${base}/order`, payload: { customerName: 'Ann' } });
  assert.equal(order.statusCode, 201);
  const id = order.json().orderId as string;
  assert.equal((await app.inject({ method: 'GET', url: `${base}/order/${id}` })).statusCode, 200);
  assert.equal((await app.inject({ method: 'DELETE', url: `${base}/order/${id}` })).statusCode, 200);
}

test('the sample backend writes no log line per request at the default log level', async () => {
  const defaultLevel = (ConfigSchema.properties.log.properties.level as unknown as { default: string })
    .default;
  assert.equal(defaultLevel, 'info');
  const { app, lines } = await sampleApp(defaultLevel);
  try {
    await traffic(app);
    assert.deepEqual(lines, []);
  } finally {
    await app.close();
  }
});

test('at debug level the sample backend logs its requests', async () => {
  const { app, lines } = await sampleApp('debug');
  try {
    await traffic(app);
    const msgs = lines.map((l) => l.msg);
    assert.equal(msgs.filter((m) => m === 'incoming request').length, 4);
    assert.equal(msgs.filter((m) => m === 'request completed').length, 4);
  } finally {
    await app.close();
  }
});
