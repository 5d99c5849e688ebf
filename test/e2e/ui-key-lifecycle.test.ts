import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertAccessible, startUiPortico, type UiPortico } from '../support/browser.js';
import { http, waitFor } from '../support/http.js';
import {
  cellsOf,
  copyShownKey as copyShownKeyIn,
  expectGatewayStatus as expectGatewayStatusAt,
} from '../support/ui-api-keys.js';

// The key lifecycle in the Developer Portal against a real all-in-one issuing opaque API keys: the API-key list
// (format, validity, last used after a gateway call, state), Regenerate with a grace period, Revoke; client secrets
// (add with expiry, masked list, revoke, regenerate with grace); the scope picker fed by the subscribed API's
// scopes; "Never" for never-expiring keys, secrets and tokens. Each step is checked at the gateway or the token
// endpoint too.
let ui: UiPortico;
let page: Page;
let appId: string;

const SCOPE = { name: 'order:write', displayName: 'Place orders', description: 'Place pizza orders' };

before(async () => {
  ui = await startUiPortico({
    toml: '\n[apim.devportal]\napi_key_format = "opaque"\n',
    signIn: '/devportal/sign-in',
    acceptDialogs: true,
    clipboard: true,
  });
  page = ui.page;
  // PizzaShack with API keys allowed and one scope, deployed; DefaultApplication subscribed to it.
  const sample = await ui.rest('/api/am/publisher/v4/apis/deploy-sample', { method: 'POST' });
  assert.equal(sample.status, 201, sample.text);
  const api = sample.json();
  const put = await ui.rest(`/api/am/publisher/v4/apis/${api.id}`, {
    method: 'PUT',
    body: {
      ...api,
      securityScheme: ['oauth2', 'api_key'],
      scopes: [{ scope: { ...SCOPE, bindings: [] }, shared: false }],
    },
  });
  assert.equal(put.status, 200, put.text);
  const rev = await ui.rest(`/api/am/publisher/v4/apis/${api.id}/revisions`, { method: 'POST', body: {} });
  assert.equal(rev.status, 201, rev.text);
  const dep = await ui.rest(
    `/api/am/publisher/v4/apis/${api.id}/deploy-revision?revisionId=${rev.json().id}`,
    { method: 'POST', body: [{ name: 'Default', vhost: 'localhost', displayOnDevportal: true }] },
  );
  assert.equal(dep.status, 201, dep.text);
  appId = (await ui.rest('/api/am/devportal/v3/applications')).json().list[0].applicationId;
  const sub = await ui.rest('/api/am/devportal/v3/subscriptions', {
    method: 'POST',
    body: { applicationId: appId, apiId: api.id, throttlingPolicy: 'Unlimited' },
  });
  assert.equal(sub.status, 201, sub.text);
});

after(async () => {
  await ui?.stop();
});

const checkA11y = (name: string) => assertAccessible(page, name);
const callWithKey = (key: string) =>
  http(`${ui.urls.gateway}/pizzashack/1.0.0/menu`, { headers: { apikey: key } });
const expectGatewayStatus = (key: string, status: number, what: string) =>
  expectGatewayStatusAt(ui.urls.gateway, key, status, what);
/** The key shown once in an open dialog: copied, the dialog checked with axe, then closed. */
const copyShownKey = (dialogName: string) =>
  copyShownKeyIn(page, dialogName, () =>
    checkA11y(`devportal-${dialogName.toLowerCase().replaceAll(' ', '-')}-shown`),
  );

const tokenStatus = (clientId: string, secret: string) =>
  http(`${ui.urls.controlPlane}/oauth2/token`, {
    form: { grant_type: 'client_credentials' },
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
  }).then((r) => r.status);

test('API keys: generate an opaque key, listed with format and last used; regenerate with grace; revoke', async () => {
  await page.goto(`${ui.urls.controlPlane}/devportal/applications/${appId}/apikey`);
  await page.getByRole('button', { name: 'GENERATE KEY' }).click();
  const generate = page.getByRole('dialog', { name: 'Generate API Key' });
  await generate.getByLabel('Key name').fill('lifecycle');
  assert.equal(await generate.getByLabel('API Key with infinite validity period').isChecked(), true);
  await generate.getByRole('button', { name: 'Generate', exact: true }).click();
  const first = await copyShownKey('Generate API Key');
  assert.match(first, /^portico_[0-9A-Za-z]+_[0-9A-Za-z]+$/, 'an opaque key');

  const table = page.getByRole('table', { name: 'Issued production API keys' });
  const rows = table.getByRole('row').filter({ hasText: 'lifecycle' });
  let cells = await cellsOf(table, rows.first());
  assert.equal(cells.Format, 'Opaque');
  assert.equal(cells.Validity, 'Never');
  assert.equal(cells.Expires, 'Never');
  assert.equal(cells.State, 'ACTIVE');
  assert.equal(cells['Last used'], '—');
  assert.ok(!(await page.content()).includes(first), 'the key is not kept in the page');

  // A gateway call records the key's last use (flushed in batches); the list shows it after a refresh.
  await expectGatewayStatus(first, 200, 'the new opaque key at the gateway');
  await waitFor(
    async () => {
      await page.reload();
      cells = await cellsOf(table, rows.first());
      return cells['Last used'] !== '—';
    },
    20_000,
    1_000,
  ).catch(() => assert.fail(`last used is still empty: ${JSON.stringify(cells)}`));
  await checkA11y('devportal-api-keys-list');

  // Regenerate with a 60 s grace: a new key; the old one is listed as ROTATING and still works.
  await page.getByRole('button', { name: 'Regenerate lifecycle' }).click();
  const regenerate = page.getByRole('dialog', { name: 'Regenerate API Key' });
  await regenerate.getByLabel('Grace period (seconds)').fill('abc');
  await regenerate.getByRole('button', { name: 'Regenerate', exact: true }).click();
  await regenerate.getByText(/Enter the grace period as whole seconds/).waitFor();
  await regenerate.getByLabel('Grace period (seconds)').fill('60');
  await checkA11y('devportal-regenerate-api-key');
  await regenerate.getByRole('button', { name: 'Regenerate', exact: true }).click();
  const second = await copyShownKey('Regenerate API Key');
  assert.match(second, /^portico_/);
  assert.notEqual(second, first);
  await waitFor(async () => (await rows.count()) === 2, 5_000, 100);
  const rotating = await cellsOf(table, rows.filter({ hasText: 'ROTATING' }));
  assert.match(rotating.State!, /^ROTATING until .+/);
  assert.equal(rotating.Format, 'Opaque');
  const active = await cellsOf(table, rows.filter({ hasText: 'ACTIVE' }));
  assert.equal(active.Validity, 'Never');
  assert.equal(active['Last used'], '—');
  await expectGatewayStatus(second, 200, 'the regenerated key');
  assert.equal((await callWithKey(first)).status, 200, 'the old key works during its grace');
  // A rotating key cannot be regenerated again: only the new key offers Regenerate.
  assert.equal(await page.getByRole('button', { name: 'Regenerate lifecycle' }).count(), 1);

  // Revoke the new key: listed as REVOKED and refused at the gateway; the old one keeps its grace.
  await rows.filter({ hasText: 'ACTIVE' }).getByRole('button', { name: 'Revoke lifecycle' }).click();
  await rows.filter({ hasText: 'REVOKED' }).waitFor();
  await expectGatewayStatus(second, 401, 'the revoked key');
  assert.equal((await callWithKey(first)).status, 200);
  await checkA11y('devportal-api-keys-rotated');
  assert.deepEqual(ui.problems, []);
});

test('OAuth keys: scope picker offers the subscribed API scopes; "never" validity; client secrets added, listed masked, revoked, regenerated with grace', async () => {
  await page.goto(`${ui.urls.controlPlane}/devportal/applications/${appId}/productionkeys`);
  const picker = page.getByRole('group', { name: 'Scopes' });
  const scope = picker.getByLabel(`${SCOPE.name} — ${SCOPE.description}`);
  await scope.waitFor();
  assert.equal(await picker.getByRole('checkbox').count(), 1, 'only the subscribed API scope is offered');
  await scope.check();
  await page.getByLabel('Access tokens never expire').check();
  assert.equal(await page.getByLabel('Access token validity period').count(), 0);
  await checkA11y('devportal-generate-keys-scopes');
  await page.getByRole('button', { name: 'Generate Keys' }).click();
  const token = page.getByRole('region', { name: 'Access token' });
  await token.getByText('Never expires').waitFor();
  await token.getByText(`Scopes: ${SCOPE.name}`).waitFor();
  const consumerKey = await page.getByLabel('Consumer Key', { exact: true }).inputValue();
  const consumerSecret = await page.getByLabel('Consumer Secret', { exact: true }).inputValue();

  // The first secret is listed masked, never expiring.
  const table = page.getByRole('table', { name: 'Client secrets' });
  const firstRow = table.getByRole('row').filter({ hasText: `****${consumerSecret.slice(-4)}` });
  let cells = await cellsOf(table, firstRow);
  assert.equal(cells.Expires, 'Never');
  assert.equal(cells.State, 'ACTIVE');

  // Add a secret that expires in an hour: shown once, then listed masked with its expiry.
  const add = page.getByRole('form', { name: 'Add a client secret' });
  await add.getByLabel('Secret description').fill('ci-runner');
  await add.getByLabel('Expires in (seconds)').fill('0');
  await add.getByRole('button', { name: 'Add secret' }).click();
  await add.getByText(/Enter the expiry as a whole number of seconds/).waitFor();
  await add.getByLabel('Expires in (seconds)').fill('3600');
  const addedAt = Date.now();
  await add.getByRole('button', { name: 'Add secret' }).click();
  const shown = page.getByLabel('New Client Secret', { exact: true });
  await shown.waitFor();
  const added = await shown.inputValue();
  assert.equal(await shown.getAttribute('type'), 'password', 'hidden until asked');
  await checkA11y('devportal-client-secret-added');
  const addedRow = table.getByRole('row').filter({ hasText: 'ci-runner' });
  cells = await cellsOf(table, addedRow);
  assert.equal(cells.Secret, `****${added.slice(-4)}`);
  assert.equal(cells.State, 'ACTIVE');
  assert.match(cells.Expires!, /\d/, 'an expiry date, not Never');
  // The date shown is the one the REST API holds: an hour from now.
  const mapping = (await ui.rest(`/api/am/devportal/v3/applications/${appId}/oauth-keys`))
    .json()
    .list.find((m: { keyType: string }) => m.keyType === 'PRODUCTION');
  const listed = (
    await ui.rest(`/api/am/devportal/v3/applications/${appId}/oauth-keys/${mapping.keyMappingId}/secrets`)
  )
    .json()
    .list.find(
      (x: { additionalProperties: { description: string } }) =>
        x.additionalProperties.description === 'ci-runner',
    );
  const expiresAt = listed.additionalProperties.expiresAt * 1000;
  assert.ok(Math.abs(expiresAt - (addedAt + 3600_000)) < 120_000, `expires in an hour: ${expiresAt}`);
  assert.equal(cells.Expires, await page.evaluate<string>(`new Date(${expiresAt}).toLocaleString()`));
  assert.equal(listed.secretValue, cells.Secret);
  assert.ok(!(await table.innerText()).includes(added), 'the list never shows a secret');
  await page.getByRole('button', { name: 'Done' }).click();
  assert.equal(await shown.count(), 0);
  assert.equal(await tokenStatus(consumerKey, added), 200, 'the added secret mints tokens');

  // Revoke it: gone from the list, refused at the token endpoint; the first secret still works.
  await addedRow.getByRole('button', { name: 'Revoke the client secret ci-runner' }).click();
  await addedRow.waitFor({ state: 'detached' });
  assert.equal(await tokenStatus(consumerKey, added), 401);
  assert.equal(await tokenStatus(consumerKey, consumerSecret), 200);

  // Regenerate with a grace period: the old secret is ROTATING and keeps working until then.
  await page.getByRole('button', { name: 'Regenerate Consumer Secret' }).click();
  const regenerate = page.getByRole('dialog', { name: 'Regenerate Consumer Secret' });
  await regenerate.getByLabel('Grace period (seconds)').fill('120');
  await regenerate.getByRole('button', { name: 'Regenerate', exact: true }).click();
  await page.getByText(/The previous secrets keep working until/).waitFor();
  const renewed = await page.getByLabel('Consumer Secret', { exact: true }).inputValue();
  assert.notEqual(renewed, consumerSecret);
  // The list reloads after the regenerate answer.
  await firstRow.getByText(/^ROTATING until /).waitFor();
  cells = await cellsOf(table, firstRow);
  assert.match(cells.State!, /^ROTATING until .+/);
  await table
    .getByRole('row')
    .filter({ hasText: `****${renewed.slice(-4)}` })
    .waitFor();
  assert.equal(await tokenStatus(consumerKey, consumerSecret), 200, 'the old secret during its grace');
  assert.equal(await tokenStatus(consumerKey, renewed), 200);
  await checkA11y('devportal-client-secrets-rotating');

  // Generate Access Token offers the same scopes and "never".
  await page.getByRole('button', { name: 'Generate Access Token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Generate Access Token' });
  await dialog.getByLabel(`${SCOPE.name} — ${SCOPE.description}`).check();
  await dialog.getByLabel('The token never expires').check();
  await checkA11y('devportal-generate-token-scopes');
  await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
  await dialog.getByText('Never expires').waitFor();
  await dialog.getByText(`Scopes: ${SCOPE.name}`).waitFor();
  await dialog.getByRole('button', { name: 'Done' }).click();
  assert.deepEqual(ui.problems, []);
});
