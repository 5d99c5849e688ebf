import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  devportalApiBoundKeyRoutes,
  devportalApiKeyAssociationRoutes,
} from '../../src/control-plane/devportal/api-bound-keys/index.js';
import { devportalApiKeyRoutes } from '../../src/control-plane/devportal/api-keys/index.js';
import {
  DEV,
  insertApi,
  subscriber,
} from '../../src/control-plane/devportal/api-keys/test-support/api-key-fixtures.js';
import {
  GITHUB_REPORTER,
  postReport,
  reportBody,
  signedHeaders,
} from '../../src/control-plane/leak-reports/test-support/leak-report-fixtures.js';
import {
  applicationWithKey,
  leakReportHarness,
} from '../../src/control-plane/leak-reports/test-support/leak-report-harness.js';
import { auditEventsRepository, openStore } from '../../src/store/index.js';
import { apiKeyGatewayStack } from '../support/api-key-gateway-stack.js';
import { testDialects } from '../support/dialects.js';
import { proxiedPostgres } from '../support/proxied-postgres.js';
import { rawDb } from '../support/raw-db.js';

const github = GITHUB_REPORTER;
const FREE = '/free/1.0.0/menu';
const routes = [devportalApiKeyRoutes, devportalApiBoundKeyRoutes, devportalApiKeyAssociationRoutes];

for (const d of await testDialects()) {
  test(`leak report on ${d.name}: a reported API-bound key without an application is revoked as an API-bound key (audit names its API, no empty application)`, async () => {
    const h = await leakReportHarness(await d.open(), { routes });
    const s = await apiKeyGatewayStack(h);
    try {
      const endpoint = `${s.upstreamUrl}/backend`;
      const apiId = await insertApi(h.store, {
        name: 'Free',
        context: '/free',
        endpoint,
        policies: ['DefaultSubscriptionless'],
      });
      await h.ctx.snapshots.rebuild();
      const alice = await subscriber(h, 'alice');
      const gen = await h.app.inject({
        method: 'POST',
        url: `${DEV}/apis/${apiId}/api-keys/generate`,
        headers: alice,
        payload: {},
      });
      assert.equal(gen.statusCode, 200, gen.body);
      const key = gen.json<{ apikey: string; keyUUID: string }>();

      const body = reportBody([key.apikey]);
      const res = await postReport(h, body, signedHeaders(github, body));
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json()[0].label, 'true_positive');
      let status = 0;
      for (let i = 0; i < 100 && status !== 401; i++, await sleep(10))
        status = (await s.call(FREE, { apikey: key.apikey })).status;
      assert.equal(status, 401, 'the gateways refuse the reported key');

      const revoked = (
        await auditEventsRepository(h.store).list({ targetId: key.keyUUID }, { limit: 50, offset: 0 })
      ).filter((e) => e.action === 'apikey.revoked');
      assert.deepEqual(
        revoked.map((e) => [e.actor, JSON.parse(e.details) as unknown]),
        [['leak-report:github-test-key-1', { api: apiId, keyType: 'PRODUCTION', cause: 'revoked' }]],
      );
      const leaks = await rawDb(h.store).selectFrom('api_key_leaks').selectAll().execute();
      assert.deepEqual(
        leaks.map((r) => [r.key_jti, r.application_id, r.action]),
        [[key.keyUUID, null, 'revoked']],
      );
    } finally {
      await s.close();
      await h.close();
    }
  });
}

const hasPostgres = (await testDialects()).some((d) => d.name === 'postgres');

test(
  'leak report: the revocation and the leak record commit together (the database going away right after the revocation commits leaves no revoked key without its leak record)',
  { skip: !hasPostgres && 'PostgreSQL unreachable' },
  async () => {
    const db = await proxiedPostgres();
    const store = await openStore({ type: 'postgres', url: db.url, poolSize: 2 });
    await store.migrate();
    const h = await leakReportHarness(store);
    try {
      await subscriber(h, 'alice');
      const { key } = await applicationWithKey(h);
      // The first commit of the report cuts the database off, as an outage at that instant would.
      let armed = true;
      h.ctx.changes.onCommitted(() => {
        if (!armed) return;
        armed = false;
        void db.proxy.cut();
      });
      const body = reportBody([key.apikey]);
      const res = await postReport(h, body, signedHeaders(github, body));
      assert.equal(armed, false, 'the report committed something');
      await db.proxy.restore();
      // Pooled connections cut while idle fail once; wait until the store answers again.
      for (let i = 0; i < 100; i++) {
        if ((await h.app.inject({ method: 'GET', url: '/health/ready' })).statusCode === 200) break;
        await sleep(50);
      }

      const revoked = await rawDb(h.store)
        .selectFrom('revoked_tokens')
        .select('jti')
        .where('jti', '=', key.jti)
        .execute();
      const leaks = await rawDb(h.store)
        .selectFrom('api_key_leaks')
        .select(['key_jti', 'action'])
        .where('key_jti', '=', key.jti)
        .execute();
      assert.deepEqual(
        { revoked: revoked.length, leaks: leaks.map((r) => r.action) },
        { revoked: 1, leaks: ['revoked'] },
        `answer ${res.statusCode}: the committed revocation carries its leak record`,
      );
    } finally {
      await h.close();
      await db.close();
    }
  },
);
