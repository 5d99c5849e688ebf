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

// API-bound keys on the Developer Portal's API page, against a real all-in-one: the API Keys tab is offered only
// when the API accepts API keys; generate (shown once, copied), listed ACTIVE with "Never" as expiry and working at
// the gateway; associated with one of the user's applications and dissociated (the REST association list agrees);
// regenerated with a grace period (the old key ROTATING and still working); revoked (REVOKED, 401 at the gateway).
let ui: UiPortico;
let page: Page;
let apiId: string;
let apiName: string;
let app: { applicationId: string; name: string };

before(async () => {
  ui = await startUiPortico({ signIn: '/devportal/sign-in', acceptDialogs: true, clipboard: true });
  page = ui.page;
  const sample = await ui.rest('/api/am/publisher/v4/apis/deploy-sample', { method: 'POST' });
  assert.equal(sample.status, 201, sample.text);
  apiId = sample.json().id;
  apiName = sample.json().name;
  app = (await ui.rest('/api/am/devportal/v3/applications')).json().list[0];
});

after(async () => {
  await ui?.stop();
});

/**
 * PizzaShack with the `api_key` scheme and subscriptionless (so a key with no application is accepted, as
 * docs/wso2-compatibility.md "API-bound API keys" says), as a new deployed revision.
 */
async function enableApiKeys() {
  const current = await ui.rest(`/api/am/publisher/v4/apis/${apiId}`);
  assert.equal(current.status, 200, current.text);
  const put = await ui.rest(`/api/am/publisher/v4/apis/${apiId}`, {
    method: 'PUT',
    body: {
      ...current.json<Record<string, unknown>>(),
      securityScheme: ['oauth2', 'api_key'],
      policies: ['DefaultSubscriptionless'],
    },
  });
  assert.equal(put.status, 200, put.text);
  const rev = await ui.rest(`/api/am/publisher/v4/apis/${apiId}/revisions`, { method: 'POST', body: {} });
  assert.equal(rev.status, 201, rev.text);
  const dep = await ui.rest(
    `/api/am/publisher/v4/apis/${apiId}/deploy-revision?revisionId=${rev.json().id}`,
    { method: 'POST', body: [{ name: 'Default', vhost: 'localhost', displayOnDevportal: true }] },
  );
  assert.equal(dep.status, 201, dep.text);
}

const checkA11y = (name: string) => assertAccessible(page, name);
const callWithKey = (key: string) =>
  http(`${ui.urls.gateway}/pizzashack/1.0.0/menu`, { headers: { apikey: key } });
const expectGatewayStatus = (key: string, status: number, what: string) =>
  expectGatewayStatusAt(ui.urls.gateway, key, status, what);
/** The key shown once in an open dialog: copied with its Copy button, then the dialog is closed. */
const copyShownKey = (dialogName: string) => copyShownKeyIn(page, dialogName);

/** keyUUIDs of the API-bound keys associated with the application, from the REST API. */
async function associatedKeys(): Promise<string[]> {
  const r = await ui.rest(
    `/api/am/devportal/v3/applications/${app.applicationId}/api-keys/PRODUCTION/associations`,
  );
  assert.equal(r.status, 200, r.text);
  return r.json().list.map((a: { keyUUID: string }) => a.keyUUID);
}

test('an API without the api_key scheme has no API Keys tab; its api-keys address explains why', async () => {
  await page.goto(`${ui.urls.controlPlane}/devportal/apis/${apiId}`);
  await page.getByRole('tab', { name: 'Subscriptions' }).waitFor();
  assert.equal(await page.getByRole('tab', { name: 'API Keys' }).count(), 0);
  await page.goto(`${ui.urls.controlPlane}/devportal/apis/${apiId}/api-keys`);
  await page.getByText('This API does not accept API keys').waitFor();
  assert.equal(await page.getByRole('button', { name: 'GENERATE KEY' }).count(), 0);
});

test('API-bound keys: generate, gateway 200, associate, dissociate, regenerate with grace, revoke → 401', async () => {
  await enableApiKeys();
  await page.goto(`${ui.urls.controlPlane}/devportal/apis/${apiId}`);
  await page.getByRole('tab', { name: 'API Keys' }).click();
  const section = page.getByRole('region', { name: 'API Keys' });
  await section.getByText('You have no API keys for this API yet.').waitFor();

  // Generate: a bad validity is refused in the dialog; then a never-expiring production key, shown once.
  await section.getByRole('button', { name: 'GENERATE KEY' }).click();
  const generate = page.getByRole('dialog', { name: 'Generate API Key' });
  await generate.getByLabel('Key name').fill('partner-key');
  await generate.getByLabel('API Key with infinite validity period').uncheck();
  await generate.getByLabel('API Key validity period (seconds)').fill('0');
  await generate.getByRole('button', { name: 'Generate', exact: true }).click();
  await generate.getByText(/Enter the validity period as a whole number/).waitFor();
  await generate.getByLabel('API Key with infinite validity period').check();
  await checkA11y('devportal-api-bound-key-generate');
  await generate.getByRole('button', { name: 'Generate', exact: true }).click();
  const first = await copyShownKey('Generate API Key');
  assert.match(first, /^portico_[0-9A-Za-z]+_[0-9A-Za-z]+$/, 'API-bound keys are opaque');

  const table = section.getByRole('table', { name: `API keys for ${apiName}` });
  const rows = table.getByRole('row').filter({ hasText: 'partner-key' });
  let cells = await cellsOf(table, rows.first());
  assert.equal(cells['Key type'], 'Production');
  assert.equal(cells.Expires, 'Never');
  assert.equal(cells.State, 'ACTIVE');
  assert.equal(cells.Application, 'None');
  assert.match(cells.Issued!, /\d/);
  assert.ok(!(await page.content()).includes(first), 'the key is not kept in the page');
  await expectGatewayStatus(first, 200, 'the new API-bound key at the gateway');
  await checkA11y('devportal-api-bound-keys-list');

  // Associate with the user's application, chosen in a select.
  await rows.first().getByRole('button', { name: 'Associate partner-key with an application' }).click();
  const associate = page.getByRole('dialog', { name: 'Associate API Key' });
  await associate.getByRole('button', { name: 'Associate', exact: true }).click();
  await associate.getByText('Choose an application.').waitFor();
  await associate.getByLabel('Application').selectOption({ label: app.name });
  await checkA11y('devportal-api-bound-key-associate');
  await associate.getByRole('button', { name: 'Associate', exact: true }).click();
  await section.getByText(`partner-key is associated with ${app.name}.`).waitFor();
  await rows.first().getByRole('cell', { name: app.name, exact: true }).waitFor();
  cells = await cellsOf(table, rows.first());
  assert.equal(cells.Application, app.name);
  const keyUUID = (await ui.rest(`/api/am/devportal/v3/apis/${apiId}/api-keys`)).json().list[0].keyUUID;
  assert.deepEqual(await associatedKeys(), [keyUUID]);
  await expectGatewayStatus(first, 200, 'the key calling as its application');
  assert.equal(
    await rows
      .first()
      .getByRole('button', { name: /^Associate / })
      .count(),
    0,
  );

  // Dissociate: no application again, on the page and in the REST list.
  await rows
    .first()
    .getByRole('button', { name: `Dissociate partner-key from ${app.name}` })
    .click();
  await section.getByText(`partner-key is no longer associated with ${app.name}.`).waitFor();
  cells = await cellsOf(table, rows.first());
  assert.equal(cells.Application, 'None');
  assert.deepEqual(await associatedKeys(), []);

  // Regenerate with a 60 s grace: a new key; the old one is listed ROTATING until … and still works.
  await rows.first().getByRole('button', { name: 'Regenerate partner-key' }).click();
  const regenerate = page.getByRole('dialog', { name: 'Regenerate API Key' });
  await regenerate.getByLabel('Grace period (seconds)').fill('60');
  await regenerate.getByRole('button', { name: 'Regenerate', exact: true }).click();
  const second = await copyShownKey('Regenerate API Key');
  assert.match(second, /^portico_/);
  assert.notEqual(second, first);
  await waitFor(async () => (await rows.count()) === 2, 5_000, 100);
  const rotating = await cellsOf(table, rows.filter({ hasText: 'ROTATING' }));
  assert.match(rotating.State!, /^ROTATING until .+/);
  const active = await cellsOf(table, rows.filter({ hasText: 'ACTIVE' }));
  assert.equal(active.Expires, 'Never');
  await expectGatewayStatus(second, 200, 'the regenerated key');
  assert.equal((await callWithKey(first)).status, 200, 'the old key works during its grace');
  assert.equal(await section.getByRole('button', { name: 'Regenerate partner-key' }).count(), 1);
  await checkA11y('devportal-api-bound-keys-rotating');

  // Revoke the new key: REVOKED and 401 at the gateway; then the rotating one too.
  await rows.filter({ hasText: 'ACTIVE' }).getByRole('button', { name: 'Revoke partner-key' }).click();
  await section.getByText('partner-key is revoked.').waitFor();
  await rows.filter({ hasText: 'REVOKED' }).waitFor();
  await expectGatewayStatus(second, 401, 'the revoked key');
  assert.equal((await callWithKey(first)).status, 200, 'the rotating key keeps its grace');
  await rows.filter({ hasText: 'ROTATING' }).getByRole('button', { name: 'Revoke partner-key' }).click();
  await waitFor(async () => (await rows.filter({ hasText: 'REVOKED' }).count()) === 2, 5_000, 100);
  await expectGatewayStatus(first, 401, 'the revoked rotating key');
  assert.equal(await section.getByRole('button', { name: /^(Revoke|Regenerate) / }).count(), 0);
  await checkA11y('devportal-api-bound-keys-revoked');
  assert.deepEqual(ui.problems, []);
});
