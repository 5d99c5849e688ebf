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
import { UsageBuffer } from '../analytics/usage-buffer.js';
import { startGatewayWorkers, type GatewayWorkers } from './index.js';

const get = freshConnectionGet;

// The primary merges the workers' aggregates into its own buffer; when that is full, what it cannot merge is
// dropped and must show on /metrics (a worker's own drops are portico_gateway_usage_dropped_total).
describe("the gateway primary's full usage buffer", () => {
  const km = keyManagerKeys();
  const upstream = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  // One cell, already taken: every worker aggregate of another dimension is dropped by the merge.
  const usage = new UsageBuffer(1);
  const held = {
    minute: 0,
    apiId: 'elsewhere',
    apiName: 'Elsewhere',
    apiVersion: '1',
    applicationId: '',
    applicationName: '',
    keyKind: 'none' as const,
    keyId: '',
    keyType: 'PRODUCTION',
    statusClass: '2xx' as const,
    count: 1,
    latency: [],
  };
  let workers: GatewayWorkers;

  before(async () => {
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    usage.merge([held]);
    workers = await startGatewayWorkers({
      workers: 2,
      snapshotSource: new StaticSnapshotSource(fixtureSnapshot(url, km.jwk)),
      settings: { ...defaultGatewaySettings(), metrics: { access: 'loopback', token: '' } },
      logger: pino({ level: 'silent' }),
      version: '0.1.0-test',
      listeners: [{ host: '127.0.0.1', port: 0 }],
      usage,
    });
  });
  after(async () => {
    await workers.close();
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
  });

  it('counts the requests its merge dropped as portico_gateway_usage_merge_dropped_total, exactly', async () => {
    const port = workers.ports[0]!;
    const key = mintApiKey(lightweightClaims(APPS.subscribed, Math.floor(Date.now() / 1000)));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await get(port, '/pizzashack/1.0.0/menu', { apikey: key })).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200]);

    const value = (families: ReturnType<typeof parsePrometheusTextFormat>, name: string) => {
      const family = families.find((f) => f.name === name);
      return family === undefined
        ? undefined
        : { type: family.type, value: Number(family.metrics[0]?.value) };
    };
    let families: ReturnType<typeof parsePrometheusTextFormat> = [];
    // Workers send their aggregates about once a second.
    for (let i = 0; i < 40; i++) {
      const r = await get(port, '/metrics');
      assert.equal(r.status, 200);
      families = parsePrometheusTextFormat(r.body);
      if (value(families, 'portico_gateway_usage_merge_dropped_total')?.value === 5) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(value(families, 'portico_gateway_usage_merge_dropped_total'), {
      type: 'COUNTER',
      value: 5,
    });
    // The workers' own buffers (one cell each, one dimension sent) dropped nothing.
    assert.equal(value(families, 'portico_gateway_usage_dropped_total')?.value, 0);
    // Every scrape says the same (the primary's counter is added once, whichever worker answers).
    const again = parsePrometheusTextFormat((await get(port, '/metrics')).body);
    assert.equal(value(again, 'portico_gateway_usage_merge_dropped_total')?.value, 5);
    assert.deepEqual(
      usage.drain().map((a) => [a.apiId, a.count]),
      [['elsewhere', 1]],
    );
  });
});
