import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness } from '../../../../test/support/control-plane-harness.js';
import type { fakeClock, GatewayHeartbeat } from '../../../core/index.js';
import { devportalApiKeyRoutes } from '../../devportal/api-keys/index.js';
import {
  generateKey,
  insertApplication,
  revoke,
  subscriber,
} from '../../devportal/api-keys/test-support/api-key-fixtures.js';
import { adminAuth } from '../../publisher/test-support/publisher-fixtures.js';
import { gatewaysRoutes } from './index.js';

const heartbeat = (over: Partial<GatewayHeartbeat>): GatewayHeartbeat => ({
  id: 'gw-a',
  address: 'https://gw-a.test:8243',
  softwareVersion: '0.1.0',
  appliedVersion: 0,
  appliedAt: Date.now(),
  source: 'live',
  startedAt: Date.now() - 1000,
  ...over,
});

for (const d of await testDialects()) {
  test(`gateway acknowledgements on ${d.name}: a revoke names its version, gateways report, enforced on N of M`, async () => {
    const h = await createHarness(await d.open(), [devportalApiKeyRoutes, gatewaysRoutes], {
      fakeTime: true,
    });
    const clock = h.clock as ReturnType<typeof fakeClock>;
    try {
      const beat = (hb: GatewayHeartbeat, headers = adminAuth) =>
        h.app.inject({ method: 'POST', url: '/internal/data/v1/gateways/heartbeat', headers, payload: hb });
      const list = (query = '') =>
        h.app.inject({ method: 'GET', url: `/api/am/admin/v4/gateways${query}`, headers: adminAuth });

      assert.deepEqual((await list()).json(), { count: 0, list: [], head: 0 });

      const alice = await subscriber(h, 'alice');
      const app = await insertApplication(h.store, 'alice', 'A');
      const key = await generateKey(h, alice, app.uuid);
      const revoked = await revoke(h, alice, app.uuid, key);
      assert.equal(revoked.statusCode, 200);
      const version = Number(revoked.headers['x-portico-change-version']);
      assert.ok(version > 0, 'the revoke answers with the change version it created');
      assert.equal(
        (await revoke(h, alice, app.uuid, key)).headers['x-portico-change-version'],
        undefined,
        'an idempotent repeat creates no change',
      );

      const a = await beat(heartbeat({ id: 'gw-a', appliedVersion: version, appliedAt: clock.now() }));
      assert.equal(a.statusCode, 200, a.body);
      assert.deepEqual(a.json(), { head: version });
      await beat(heartbeat({ id: 'gw-b', address: 'https://gw-b.test:8243', appliedVersion: version - 1 }));
      const enforcement = (await list(`?minVersion=${version}`)).json();
      assert.equal(enforcement.count, 2);
      assert.equal(enforcement.head, version);
      assert.deepEqual(
        { enforced: enforcement.enforcement.enforced, total: enforcement.enforcement.total },
        { enforced: 1, total: 2 },
      );
      const byId = new Map(
        (enforcement.enforcement.gateways as { gatewayId: string; enforced: boolean }[]).map((g) => [
          g.gatewayId,
          g,
        ]),
      );
      assert.equal(byId.get('gw-a')?.enforced, true);
      assert.equal(byId.get('gw-b')?.enforced, false);

      // gw-b catches up; gw-a goes silent: it is listed STALE and no longer counted.
      clock.advance(31_000);
      await beat(heartbeat({ id: 'gw-b', appliedVersion: version, appliedAt: clock.now() }));
      const later = (await list(`?minVersion=${version}`)).json();
      assert.deepEqual(
        later.list.map((g: { gatewayId: string; status: string }) => [g.gatewayId, g.status]),
        [
          ['gw-b', 'ACTIVE'],
          ['gw-a', 'STALE'],
        ],
      );
      assert.deepEqual(
        { enforced: later.enforcement.enforced, total: later.enforcement.total },
        { enforced: 1, total: 1 },
      );

      // Bad input writes nothing; only admins may report or read.
      for (const bad of [
        { ...heartbeat({}), appliedVersion: -1 },
        { ...heartbeat({}), source: 'guess' },
        { ...heartbeat({}), id: '../x' },
        { ...heartbeat({}), extra: 1 },
      ]) {
        assert.equal((await beat(bad as GatewayHeartbeat)).statusCode, 400, JSON.stringify(bad));
      }
      assert.equal((await beat(heartbeat({ id: 'gw-c' }), alice)).statusCode, 403);
      const anon = await h.app.inject({ method: 'GET', url: '/api/am/admin/v4/gateways' });
      assert.equal(anon.statusCode, 401);
      assert.equal((await list('?minVersion=x')).statusCode, 400);
      assert.equal((await list()).json().count, 2);
    } finally {
      await h.close();
    }
  });
}
