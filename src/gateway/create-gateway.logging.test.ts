import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { fakeClock } from '../core/index.js';
import { createGateway } from './create-gateway.js';
import { defaultGatewaySettings } from './gateway-options.js';
import { APPS, fixtureApi, fixtureSnapshot, KM_ISSUER } from './test-support/fixture-snapshot.js';
import { closedPort } from './test-support/gateway-harness.js';
import { keyManagerKeys, mintAccessToken } from './test-support/mint-tokens.js';
import { StaticSnapshotSource } from './test-support/static-snapshot-source.js';

// Issue 10: per-request log lines at the default level cost ~110 MB/min under load. Successful requests and
// client faults are not logged at info; upstream failures only at debug.

async function gatewayLoggingAt(level: string) {
  const lines: { msg?: string; level?: number }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  const upstream = http.createServer((_req, res) => res.end('{"ok":true}'));
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const km = keyManagerKeys();
  const down = await closedPort();
  const snapshot = fixtureSnapshot(upstreamUrl, km.jwk);
  const clock = fakeClock(Date.UTC(2026, 0, 1));
  const gateway = createGateway({
    snapshotSource: new StaticSnapshotSource({
      ...snapshot,
      apis: [...snapshot.apis, fixtureApi('down', '/down', `http://127.0.0.1:${down}`)],
    }),
    clock,
    logger: pino({ level }, stream),
    settings: defaultGatewaySettings(),
    version: '0.1.0-test',
  });
  await gateway.ready();
  const server = http.createServer(gateway.handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const now = Math.floor(clock.now() / 1000);
  const token = mintAccessToken(km.privateKey, {
    sub: 'admin',
    azp: `ck-${APPS.subscribed}`,
    iss: KM_ISSUER,
    iat: now,
    exp: now + 3600,
    jti: randomUUID(),
  });
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const r = await fetch(`${base}${path}`, { headers });
    await r.arrayBuffer();
    return r.status;
  };
  const traffic = async () => {
    for (let i = 0; i < 5; i++) {
      assert.equal(await get('/pizzashack/1.0.0/menu', { authorization: `Bearer ${token}` }), 200);
      assert.equal(await get('/pizzashack/1.0.0/open'), 200);
    }
    assert.equal(await get('/pizzashack/1.0.0/menu'), 401);
    assert.equal(await get('/pizzashack/1.0.0/menu', { authorization: 'Bearer nope' }), 401);
    assert.equal(await get('/nothing-here'), 404);
    assert.equal(await get('/down/1.0.0/menu', { authorization: `Bearer ${token}` }), 503);
  };
  const close = async () => {
    await gateway.close();
    server.closeAllConnections();
    await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => upstream.close(r))]);
  };
  return { lines, traffic, close };
}

test('the gateway writes no log line per request at info: successes, client faults, upstream failures', async () => {
  const g = await gatewayLoggingAt('info');
  try {
    const startup = g.lines.length;
    await g.traffic();
    assert.deepEqual(g.lines.slice(startup), []);
  } finally {
    await g.close();
  }
});

test('at debug the gateway logs upstream failures', async () => {
  const g = await gatewayLoggingAt('debug');
  try {
    await g.traffic();
    assert.equal(g.lines.filter((l) => l.msg === 'gateway: upstream failed').length, 1);
  } finally {
    await g.close();
  }
});
