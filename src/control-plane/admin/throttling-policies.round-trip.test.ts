import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { ADM, adminAuth } from '../publisher/test-support/publisher-fixtures.js';
import { throttlingPolicyRoutes } from './index.js';

const BASE = `${ADM}/throttling/policies`;

for (const d of await testDialects()) {
  test(`admin policies on ${d.name}: every policy's GET output is accepted back as is, and changes round-trip`, async () => {
    const h = await createHarness(await d.open(), [throttlingPolicyRoutes]);
    try {
      for (const level of ['subscription', 'application', 'advanced']) {
        const list = await h.app.inject({ method: 'GET', url: `${BASE}/${level}`, headers: adminAuth });
        for (const p of list.json().list as { policyId: string }[]) {
          const put = await h.app.inject({
            method: 'PUT',
            url: `${BASE}/${level}/${p.policyId}`,
            headers: adminAuth,
            payload: p,
          });
          assert.equal(put.statusCode, 200, `${level}: ${put.body}`);
          assert.deepEqual(put.json(), p);
        }
      }

      const apps = await h.app.inject({ method: 'GET', url: `${BASE}/application`, headers: adminAuth });
      const app = apps.json().list[0];
      const changes: Record<string, unknown> = {
        burstLimit: { rateLimitCount: 5, rateLimitTimeUnit: 'sec' },
        description: 'changed',
        displayName: 'Ten a minute',
      };
      let dto = app;
      for (const [k, v] of Object.entries(changes)) {
        const sent = { ...dto, [k]: v };
        const put = await h.app.inject({
          method: 'PUT',
          url: `${BASE}/application/${app.policyId}`,
          headers: adminAuth,
          payload: sent,
        });
        assert.equal(put.statusCode, 200, `${k}: ${put.body}`);
        const got = await h.app.inject({
          method: 'GET',
          url: `${BASE}/application/${app.policyId}`,
          headers: adminAuth,
        });
        assert.deepEqual(got.json(), sent, `${k} round-trips`);
        dto = got.json();
      }
    } finally {
      await h.close();
    }
  });
}
