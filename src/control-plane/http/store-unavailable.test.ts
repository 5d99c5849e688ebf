import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { ADMIN, basic, createHarness } from '../../../test/support/control-plane-harness.js';
import { proxiedPostgres } from '../../../test/support/proxied-postgres.js';
import { openStore } from '../../store/index.js';
import { applicationsRoutes } from '../devportal/applications/applications-routes.js';

const hasPostgres = (await testDialects()).some((d) => d.name === 'postgres');

test(
  'database away: REST answers 503 STORE_UNAVAILABLE with Retry-After (never 500), health says so, nothing is written; back → normal',
  {
    skip: !hasPostgres && 'PostgreSQL unreachable',
  },
  async () => {
    const db = await proxiedPostgres();
    const proxy = db.proxy;
    const store = await openStore({ type: 'postgres', url: db.url, poolSize: 2 });
    await store.migrate();
    const h = await createHarness(store, [applicationsRoutes]);
    const auth = { authorization: basic(ADMIN.username, ADMIN.password) };
    const create = (appName: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/am/devportal/v3/applications',
        headers: { ...auth, 'content-type': 'application/json' },
        payload: { name: appName, throttlingPolicy: 'Unlimited' },
      });
    try {
      assert.equal((await create('before')).statusCode, 201);
      assert.equal((await h.app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200);

      await proxy.cut();
      // Authentication itself reads the store: any authenticated call shows the outage.
      const list = await h.app.inject({
        method: 'GET',
        url: '/api/am/devportal/v3/applications',
        headers: auth,
      });
      assert.equal(list.statusCode, 503, list.body);
      assert.equal(list.json().errorCode, 'STORE_UNAVAILABLE');
      assert.equal(list.json().code, 909401);
      assert.equal(list.headers['retry-after'], '5');
      const write = await create('during');
      assert.equal(write.statusCode, 503, write.body);

      const health = await h.app.inject({ method: 'GET', url: '/health' });
      assert.equal(health.statusCode, 200, 'liveness stays 200');
      assert.equal(health.json().database, 'DOWN');
      const ready = await h.app.inject({ method: 'GET', url: '/health/ready' });
      assert.equal(ready.statusCode, 503);
      assert.equal(ready.json().database, 'DOWN');

      await proxy.restore();
      const after = await h.app.inject({
        method: 'GET',
        url: '/api/am/devportal/v3/applications',
        headers: auth,
      });
      assert.equal(after.statusCode, 200);
      const names = (after.json().list as { name: string }[]).map((a) => a.name).sort();
      assert.ok(
        names.includes('before') && !names.includes('during'),
        `nothing half-written: ${names.join(',')}`,
      );
      assert.equal((await h.app.inject({ method: 'GET', url: '/health/ready' })).json().database, 'UP');
    } finally {
      await h.close().catch(() => {});
      await db.close();
    }
  },
);
