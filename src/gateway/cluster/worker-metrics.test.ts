import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import pino from 'pino';
import { defaultGatewaySettings } from '../gateway-options.js';
import { APPS, fixtureSnapshot } from '../test-support/fixture-snapshot.js';
import { keyManagerKeys, lightweightClaims, mintApiKey } from '../test-support/mint-tokens.js';
import { StaticSnapshotSource } from '../test-support/static-snapshot-source.js';
import { freshConnectionGet } from '../test-support/fresh-connection-get.js';
import { startGatewayWorkers, type GatewayWorkers } from './index.js';

const get = freshConnectionGet;

describe('/metrics with gateway workers', () => {
  const km = keyManagerKeys();
  const upstream = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  let workers: GatewayWorkers;

  before(async () => {
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    workers = await startGatewayWorkers({
      workers: 2,
      snapshotSource: new StaticSnapshotSource(fixtureSnapshot(url, km.jwk)),
      settings: { ...defaultGatewaySettings(), metrics: { access: 'loopback', token: '' } },
      logger: pino({ level: 'silent' }),
      version: '0.1.0-test',
      listeners: [{ host: '127.0.0.1', port: 0 }],
    });
  });
  after(async () => {
    await workers.close();
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
  });

  it('one scrape of any worker returns the sum over the workers', async () => {
    const port = workers.ports[0]!;
    const key = mintApiKey(lightweightClaims(APPS.subscribed, Math.floor(Date.now() / 1000)));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await get(port, '/pizzashack/1.0.0/menu', { apikey: key })).status);
    for (let i = 0; i < 2; i++) statuses.push((await get(port, '/pizzashack/1.0.0/menu')).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 401, 401]);
    // Two scrapes on fresh connections: different workers answer, with the same totals.
    for (let i = 0; i < 2; i++) {
      const r = await get(port, '/metrics');
      assert.equal(r.status, 200);
      const families = parsePrometheusTextFormat(r.body);
      const requests = families.find((f) => f.name === 'portico_gateway_requests_total')!;
      const count = (status: string) =>
        requests.metrics.filter((m) => m.labels?.status === status).reduce((n, m) => n + Number(m.value), 0);
      assert.equal(count('200'), 4);
      assert.equal(count('401'), 2);
      // A gauge of the snapshot is the workers' maximum, not their sum.
      const version = families.find((f) => f.name === 'portico_gateway_snapshot_version')!;
      assert.equal(version.metrics[0]?.value, '1');
    }
  });
});
