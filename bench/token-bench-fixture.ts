/**
 * What both token benchmarks start from: a SQLite store in a temp folder, a control plane with the OAuth2 and
 * Developer Portal routes, and one application with PRODUCTION client_credentials keys.
 * @example const { h, consumerKey, consumerSecret } = await tokenBenchFixture();
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/index.js';
import { oauth2Routes } from '../src/control-plane/oauth2/index.js';
import { applicationsRoutes, keysRoutes } from '../src/control-plane/devportal/index.js';
import { ADMIN, basic, createHarness, type Harness } from '../test/support/control-plane-harness.js';

export async function tokenBenchFixture(): Promise<{
  h: Harness;
  consumerKey: string;
  consumerSecret: string;
}> {
  const store = await openStore({
    type: 'sqlite',
    url: join(mkdtempSync(join(tmpdir(), 'portico-bench-')), 'portico.db'),
  });
  await store.migrate();
  const h = await createHarness(store, [oauth2Routes, applicationsRoutes, keysRoutes]);
  const admin = basic(ADMIN.username, ADMIN.password);
  const app = await h.app.inject({
    method: 'POST',
    url: '/api/am/devportal/v3/applications',
    headers: { authorization: admin, 'content-type': 'application/json' },
    payload: JSON.stringify({ name: 'Bench', throttlingPolicy: 'Unlimited' }),
  });
  const keys = await h.app.inject({
    method: 'POST',
    url: `/api/am/devportal/v3/applications/${app.json().applicationId}/generate-keys`,
    headers: { authorization: admin, 'content-type': 'application/json' },
    payload: JSON.stringify({ keyType: 'PRODUCTION', grantTypesToBeSupported: ['client_credentials'] }),
  });
  const { consumerKey, consumerSecret } = keys.json() as { consumerKey: string; consumerSecret: string };
  return { h, consumerKey, consumerSecret };
}
