import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertAccessible, startUiPortico, type UiPortico } from '../support/browser.js';
import { http as request } from '../support/http.js';

// Usage charts against a real all-in-one in Chromium: a real gateway serves known requests (200, 404 and 500 from
// a real upstream, 401 without a key), its aggregates are flushed to the store (every second here), and the
// Developer Portal application page, the Publisher API page and the Admin usage page chart and tabulate them.
let ui: UiPortico;
let upstream: http.Server;

before(async () => {
  upstream = http.createServer((req, res) => {
    const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status') ?? 200);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  ui = await startUiPortico({ toml: '[analytics]\nflush_interval = 1\n', signIn: '/devportal/sign-in' });
});

after(async () => {
  await ui?.stop();
  upstream?.close();
});

const ok = (r: { status: number; text: string }, status: number, what: string) =>
  assert.equal(r.status, status, `${what}: ${r.text}`);

test('usage charts: application, API and platform pages show the gateway run; empty state without traffic', async () => {
  const port = (upstream.address() as AddressInfo).port;
  const created = await ui.rest('/api/am/publisher/v4/apis', {
    method: 'POST',
    body: {
      name: 'Orders',
      context: '/orders',
      version: '1.0.0',
      policies: ['Unlimited'],
      securityScheme: ['api_key'],
      endpointConfig: {
        endpoint_type: 'http',
        production_endpoints: { url: `http://127.0.0.1:${port}/v1` },
        sandbox_endpoints: { url: `http://127.0.0.1:${port}/v1` },
      },
      operations: [{ target: '/items', verb: 'GET' }],
    },
  });
  ok(created, 201, 'create API');
  const apiId = created.json().id as string;
  const rev = await ui.rest(`/api/am/publisher/v4/apis/${apiId}/revisions`, {
    method: 'POST',
    body: { description: 'first' },
  });
  ok(rev, 201, 'revision');
  ok(
    await ui.rest(`/api/am/publisher/v4/apis/${apiId}/deploy-revision?revisionId=${rev.json().id}`, {
      method: 'POST',
      body: [{ name: 'Default', vhost: 'localhost', displayOnDevportal: true }],
    }),
    201,
    'deploy',
  );
  ok(
    await ui.rest(`/api/am/publisher/v4/apis/change-lifecycle?apiId=${apiId}&action=Publish`, {
      method: 'POST',
    }),
    200,
    'publish',
  );
  const app = await ui.rest('/api/am/devportal/v3/applications', {
    method: 'POST',
    body: { name: 'OrdersApp', throttlingPolicy: 'Unlimited' },
  });
  ok(app, 201, 'application');
  const appId = app.json().applicationId as string;
  ok(
    await ui.rest('/api/am/devportal/v3/subscriptions', {
      method: 'POST',
      body: { applicationId: appId, apiId, throttlingPolicy: 'Unlimited' },
    }),
    201,
    'subscription',
  );
  const gen = await ui.rest(`/api/am/devportal/v3/applications/${appId}/api-keys/PRODUCTION/generate`, {
    method: 'POST',
    body: { validityPeriod: 3600 },
  });
  ok(gen, 200, 'API key');
  const key = gen.json().apikey as string;

  // Before any traffic: the empty state, not an empty chart.
  const page = ui.page;
  await page.goto(`${ui.urls.controlPlane}/devportal/applications/${appId}/usage`);
  await page.getByText('No traffic in this period.').waitFor();
  await assertAccessible(page, 'devportal-application-usage-empty');

  const call = async (path: string, withKey = true) =>
    (await request(`${ui.urls.gateway}/orders/1.0.0${path}`, withKey ? { headers: { apikey: key } } : {}))
      .status;
  let first = -1;
  for (let i = 0; i < 30 && first !== 200; i++) {
    first = await call('/items'); // until the gateway serves the new API
    if (first !== 200) await sleep(200);
  }
  assert.equal(first, 200);
  const rest: number[] = [];
  for (const p of ['/items', '/items', '/items?status=404', '/items?status=500']) rest.push(await call(p));
  rest.push(await call('/items', false));
  assert.deepEqual(rest, [200, 200, 404, 500, 401]);

  // The flush reaches the store within a few seconds: 6 requests, 3 + ... as sent.
  let totals: { count: number } = { count: 0 };
  for (let i = 0; i < 50 && totals.count < 6; i++) {
    await sleep(200);
    totals = (await ui.rest('/api/am/admin/v4/usage')).json().totals;
  }
  assert.deepEqual(
    (({ count, success, clientErrors, serverErrors }: Record<string, number>) => [
      count,
      success,
      clientErrors,
      serverErrors,
    ])(totals as unknown as Record<string, number>),
    [6, 3, 2, 1],
  );

  // Developer Portal: the application's traffic per API and per key.
  await page.getByRole('button', { name: 'Refresh' }).click();
  const chart = page.getByRole('img', { name: /Bar chart: 5 requests, 1 client errors, 1 server errors/ });
  await chart.waitFor();
  assert.ok((await chart.locator('.recharts-bar-rectangle').count()) > 0, 'the chart draws bars');
  const perKey = page.getByRole('table', { name: 'Per key and API' });
  await perKey.getByRole('cell', { name: `api-key ${String(gen.json().keyUUID)}` }).waitFor();
  assert.match(await page.getByRole('table', { name: 'Per API' }).innerText(), /Orders 1\.0\.0\s+5\s+1\s+1/);
  await assertAccessible(page, 'devportal-application-usage');

  // Publisher: the API's traffic by application (the 401 had none).
  await page.goto(`${ui.urls.controlPlane}/publisher/apis/${apiId}/usage`);
  const byApp = page.getByRole('table', { name: 'Per application' });
  await byApp.getByRole('cell', { name: 'OrdersApp' }).waitFor();
  assert.match(await byApp.innerText(), /OrdersApp\s+5\s+1\s+1/);
  assert.match(await byApp.innerText(), /\(no application\)\s+1\s+1\s+0/);
  await assertAccessible(page, 'publisher-api-usage');

  // Admin: platform totals, with the range picker.
  await page.goto(`${ui.urls.controlPlane}/admin/usage`);
  await page.getByRole('img', { name: /Bar chart: 6 requests, 2 client errors, 1 server errors/ }).waitFor();
  await page.getByLabel('Time range').selectOption('1h');
  await page.getByRole('img', { name: /Bar chart: 6 requests/ }).waitFor();
  await assertAccessible(page, 'admin-usage');
  assert.deepEqual(ui.problems, []);
});
