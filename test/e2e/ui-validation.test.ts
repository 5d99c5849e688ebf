import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { newContext, signIn, startUiPortico, type UiPortico } from '../support/browser.js';
import { http, waitFor } from '../support/http.js';

let ui: UiPortico;
let page: Page;
let problems: string[];
let appId: string;

const rest = (path: string, opts: { method?: string; body?: unknown } = {}) => ui.rest(path, opts);
const count = async (path: string) => (await rest(path)).json().list.length as number;

before(async () => {
  ui = await startUiPortico({ acceptDialogs: true });
  ({ page, problems } = ui);
  const sample = await rest('/api/am/publisher/v4/apis/deploy-sample', { method: 'POST' });
  assert.equal(sample.status, 201, sample.text);
  const api = sample.json();
  const put = await rest(`/api/am/publisher/v4/apis/${api.id}`, {
    method: 'PUT',
    body: { ...api, securityScheme: ['oauth2', 'api_key'] },
  });
  assert.equal(put.status, 200, put.text);
  const rev = await rest(`/api/am/publisher/v4/apis/${api.id}/revisions`, { method: 'POST', body: {} });
  const dep = await rest(`/api/am/publisher/v4/apis/${api.id}/deploy-revision?revisionId=${rev.json().id}`, {
    method: 'POST',
    body: [{ name: 'Default', vhost: 'localhost', displayOnDevportal: true }],
  });
  assert.equal(dep.status, 201, dep.text);
  appId = (await rest('/api/am/devportal/v3/applications')).json().list[0].applicationId;
  const sub = await rest('/api/am/devportal/v3/subscriptions', {
    method: 'POST',
    body: { applicationId: appId, apiId: api.id, throttlingPolicy: 'Unlimited' },
  });
  assert.equal(sub.status, 201, sub.text);
  await signIn(page, `${ui.urls.controlPlane}/devportal/sign-in`, 'admin', ui.password);
});

after(async () => {
  await ui?.stop();
});

test('sign-in errors: empty fields and a wrong password are explained, no session is made', async () => {
  const ctx = await newContext(ui.browser);
  const p = await ctx.newPage();
  try {
    await p.goto(`${ui.urls.controlPlane}/devportal/sign-in`);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByText('Enter your user name.').waitFor();
    await p.getByText('Enter your password.').waitFor();
    assert.equal(await p.getByLabel('Username').getAttribute('aria-invalid'), 'true');
    await p.getByLabel('Username').fill('admin');
    await p.getByLabel('Password', { exact: true }).fill('wrong-password');
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('alert').filter({ hasText: 'Invalid user name or password.' }).waitFor();
    assert.deepEqual(
      (await ctx.cookies()).filter((c) => c.name === 'portico_session'),
      [],
    );
  } finally {
    await ctx.close();
  }
});

test('application form: client-side and server-side errors show, and nothing is created', async () => {
  const before = await count('/api/am/devportal/v3/applications');
  await page.goto(`${ui.urls.controlPlane}/devportal/applications`);
  await page.getByRole('link', { name: 'Add New Application' }).click();
  await page.getByRole('heading', { name: 'Create an application' }).waitFor();
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByText('Enter a name for the application.').waitFor();
  assert.equal(await page.getByLabel('Application name').getAttribute('aria-invalid'), 'true');
  // The server's description is shown for what only the server knows (the name is taken).
  await page.getByLabel('Application name').fill('DefaultApplication');
  await page.getByRole('button', { name: 'Create' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match((await alert.textContent()) ?? '', /DefaultApplication/);
  assert.equal(await count('/api/am/devportal/v3/applications'), before);
  // A valid one is created and opened.
  await page.getByLabel('Application name').fill('Mobile App');
  await page.getByLabel('Throttling policy').selectOption('10PerMin');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: 'Mobile App', level: 1 }).waitFor();
  assert.equal(await count('/api/am/devportal/v3/applications'), before + 1);
});

test('GENERATE KEY dialog: bad validity and IP show errors and issue nothing', async () => {
  const keys = `/api/am/devportal/v3/applications/${appId}/api-keys`;
  const before = await count(keys);
  await page.goto(`${ui.urls.controlPlane}/devportal/applications/${appId}/apikey`);
  await page.getByRole('button', { name: 'GENERATE KEY' }).click();
  const dialog = page.getByRole('dialog', { name: 'Generate API Key' });
  await dialog.getByLabel('API Key with infinite validity period').uncheck();
  await dialog.getByLabel('API Key validity period (seconds)').fill('soon');
  await dialog.getByLabel('IP Addresses').check();
  await dialog.getByLabel('IP address', { exact: true }).fill('999.1.1.1');
  await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
  await dialog.getByText('Enter the validity period as a whole number of seconds (at least 1).').waitFor();
  await dialog.getByText('999.1.1.1 is not an IPv4 or IPv6 address.').waitFor();
  await dialog.getByLabel('HTTP Referrers (Web Sites)').check();
  await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
  await dialog.getByText('Add at least one HTTP referrer.').waitFor();
  assert.equal(await count(keys), before, 'nothing issued');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

test('revoking a key in the list makes the gateway refuse it', async () => {
  await page.goto(`${ui.urls.controlPlane}/devportal/applications/${appId}/apikey`);
  await page.getByRole('button', { name: 'GENERATE KEY' }).click();
  const dialog = page.getByRole('dialog', { name: 'Generate API Key' });
  await dialog.getByLabel('Key name').fill('to-revoke');
  await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
  const key = await dialog.getByLabel('API Key', { exact: true }).inputValue();
  await dialog.getByRole('button', { name: 'Done' }).click();
  const call = () => http(`${ui.urls.gateway}/pizzashack/1.0.0/menu`, { headers: { apikey: key } });
  let status = 0;
  await waitFor(async () => (status = (await call()).status) === 200, 10_000, 200).catch(() =>
    assert.fail(`the new key should work: ${status}`),
  );
  const row = page.getByRole('row').filter({ hasText: 'to-revoke' });
  await row.getByRole('button', { name: 'Revoke to-revoke' }).click();
  await row.getByText('REVOKED').waitFor();
  let last = await call();
  await waitFor(async () => (last = await call()).status === 401, 10_000, 200).catch(() =>
    assert.fail(`the revoked key is still accepted: ${last.status} ${last.text}`),
  );
  assert.match(last.text, /900901/);
  assert.deepEqual(problems, []);
});

test('publisher create API form: errors show and nothing is created', async () => {
  const before = await count('/api/am/publisher/v4/apis');
  await page.goto(`${ui.urls.controlPlane}/publisher/apis/create`);
  await page.getByLabel('Version').fill('');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByText('Enter the API name.').waitFor();
  await page.getByText('Enter the context, e.g. /pizzashack.').waitFor();
  await page.getByText('Enter the version, e.g. 1.0.0.').waitFor();
  await page.getByText('Enter the backend endpoint URL.').waitFor();
  await page.getByLabel('Name').fill('Pizza Copy');
  await page.getByLabel('Context').fill('/pizzashack');
  await page.getByLabel('Version').fill('1.0.0');
  await page.getByLabel('Endpoint').fill('http://127.0.0.1:9/backend');
  await page.getByRole('button', { name: 'Create' }).click();
  // The context is taken: the server says so, and the UI shows its description.
  await page.getByRole('alert').waitFor();
  assert.equal(await count('/api/am/publisher/v4/apis'), before);
});
