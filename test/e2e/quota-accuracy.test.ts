import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { basic } from '../support/control-plane-harness.js';
import { http, waitFor } from '../support/http.js';
import { randomOffset } from '../support/stack.js';
import {
  echoUpstream,
  freePort,
  freshDatabase,
  ownRedis,
  startTwoGatewayDeployment,
  waitForLine,
  type TwoGatewayDeployment,
} from '../support/scaled-deployment.js';

/** The quota under test: 60 requests per 10 s window (windows aligned to multiples of 10 s since the epoch). */
const LIMIT = 60;
const WINDOW_MS = 10_000;

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedisServer && process.env.CI)
  throw new Error('redis-server is required in CI (quota accuracy test)');

/** Waits until `lead` ms after the start of the next window; returns that window's end. */
async function nextWindow(lead = 300): Promise<number> {
  const now = Date.now();
  const start = now - (now % WINDOW_MS) + WINDOW_MS;
  await new Promise((r) => setTimeout(r, start + lead - now));
  return start + WINDOW_MS;
}

/** `concurrency` request loops per gateway until `until`; counts 200s per gateway and checks every other is 429. */
async function fire(
  gateways: readonly string[],
  token: string,
  until: number,
  concurrency: number,
): Promise<number[]> {
  const admitted = gateways.map(() => 0);
  const other: string[] = [];
  const loop = async (i: number) => {
    while (Date.now() < until) {
      const r = await http(`${gateways[i]}/quota/1.0.0/items`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (r.status === 200) admitted[i]!++;
      else if (r.status !== 429 || r.json().code !== '900804') other.push(`${r.status} ${r.text}`);
    }
  };
  await Promise.all(gateways.flatMap((_, i) => Array.from({ length: concurrency }, () => loop(i))));
  assert.deepEqual(other.slice(0, 3), [], 'only 200 and 900804 answers');
  return admitted;
}

test(
  'quota accuracy: 2 gateways × 2 workers on PostgreSQL + Redis admit 60/window within ±5 %, and the per-gateway share with Redis down',
  { timeout: 120_000, skip: !hasRedisServer && 'redis-server is not installed' },
  async (t) => {
    const redis = await ownRedis(await freePort());
    const redisUrl = redis.url;
    const upstream = await echoUpstream();
    const backend = upstream.url;
    const db = await freshDatabase('portico_quota');
    const off = randomOffset();
    const pw = `pw-${randomBytes(8).toString('hex')}`;
    const root = mkdtempSync(join(tmpdir(), 'portico-quota-'));
    let deployment: TwoGatewayDeployment | undefined;
    try {
      deployment = await startTwoGatewayDeployment(root, {
        offset: off,
        dbUrl: db.url,
        password: pw,
        redisUrl,
        poll: 2,
        workers: 2,
        expectedGateways: 2,
      });
      const { gw1, gw2, gateways } = deployment;
      // `portico gateway` honours [apim.gateway] workers (it used to ignore it).
      for (const gw of [gw1, gw2]) await waitForLine(gw, '"workers":2,', 1000);

      const CP = `https://localhost:${9443 + off}`;
      const auth = { authorization: basic('admin', pw) };
      const rest = async (path: string, body?: unknown) => {
        const r = await http(`${CP}${path}`, {
          headers: auth,
          ...(body !== undefined ? { body } : { method: 'POST' }),
        });
        assert.ok(r.status === 200 || r.status === 201, `${path}: ${r.status} ${r.text}`);
        return r.json();
      };
      await rest('/api/am/admin/v4/throttling/policies/subscription', {
        policyName: 'Quota60',
        defaultLimit: {
          type: 'REQUESTCOUNTLIMIT',
          requestCount: { timeUnit: 'sec', unitTime: 10, requestCount: LIMIT },
        },
        stopOnQuotaReach: true,
      });
      const api = await rest('/api/am/publisher/v4/apis', {
        name: 'Quota',
        context: '/quota',
        version: '1.0.0',
        policies: ['Quota60'],
        endpointConfig: {
          endpoint_type: 'http',
          production_endpoints: { url: backend },
          sandbox_endpoints: { url: backend },
        },
        operations: [{ target: '/items', verb: 'GET' }],
      });
      const rev = await rest(`/api/am/publisher/v4/apis/${api.id}/revisions`, { description: 'first' });
      await rest(`/api/am/publisher/v4/apis/${api.id}/deploy-revision?revisionId=${rev.id}`, [
        { name: 'Default', vhost: 'localhost', displayOnDevportal: true },
      ]);
      await rest(`/api/am/publisher/v4/apis/change-lifecycle?apiId=${api.id}&action=Publish`);
      const app = await rest('/api/am/devportal/v3/applications', {
        name: 'QuotaApp',
        throttlingPolicy: 'Unlimited',
      });
      await rest('/api/am/devportal/v3/subscriptions', {
        applicationId: app.applicationId,
        apiId: api.id,
        throttlingPolicy: 'Quota60',
      });
      const keys = await rest(`/api/am/devportal/v3/applications/${app.applicationId}/generate-keys`, {
        keyType: 'PRODUCTION',
        grantTypesToBeSupported: ['client_credentials'],
      });
      const token = keys.token.accessToken as string;
      // Both gateways (every worker) serve the API before the measured window starts.
      for (const gw of gateways) {
        await waitFor(
          async () =>
            (await http(`${gw}/quota/1.0.0/items`, { headers: { authorization: `Bearer ${token}` } }))
              .status === 200,
          10_000,
          100,
        );
      }

      // Many concurrent requests through both gateways for most of one window.
      let end = await nextWindow();
      const shared = await fire(gateways, token, end - 2000, 24);
      const total = shared[0]! + shared[1]!;
      t.diagnostic(`shared through Redis: ${shared.join(' + ')} = ${total} admitted`);
      assert.ok(total >= 57 && total <= 63, `admitted ${total} (${shared.join(' + ')}) of ${LIMIT}`);

      // Redis gone: each gateway enforces its share, 60 / expected_gateways = 30.
      await redis.kill();
      await Promise.all(
        [gw1, gw2].map((g) => waitForLine(g, 'Redis unreachable, this gateway enforces 1/2', 15_000)),
      );
      end = await nextWindow();
      const alone = await fire(gateways, token, end - 2000, 24);
      for (const n of alone)
        assert.ok(n >= 28 && n <= 32, `one gateway admitted ${n} of its share 30 (${alone.join(', ')})`);
      const both = alone[0]! + alone[1]!;
      t.diagnostic(`Redis down: ${alone.join(' + ')} = ${both} admitted`);
      assert.ok(both >= 57 && both <= 63, `admitted ${both} with Redis down`);
    } finally {
      await deployment?.stopAll();
      await redis.kill();
      upstream.server.close();
      await db.drop();
    }
  },
);
