import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertAccessible, startUiPortico, type UiPortico } from '../support/browser.js';
import { waitFor } from '../support/http.js';
import { dcrConnector, parseDefinition } from '../../src/key-manager/external/index.js';
import {
  startOidcProvider,
  type OidcProviderFixture,
} from '../../src/key-manager/external/test-support/oidc-provider-fixture.js';

// Admin → Key Managers in Chromium against a real all-in-one and the real oidc-provider dressed as Keycloak: add
// by Discover, see the JWKS health turn OK, edit (the stored secret kept behind its mask), test the connection,
// delete; axe on each screen. Then the Developer Portal's keys tab when no key manager is enabled.
let ui: UiPortico;
let page: Page;
let kc: OidcProviderFixture;
const KMS = '/api/am/admin/v4/key-managers';

before(async () => {
  kc = await startOidcProvider('keycloak');
  ui = await startUiPortico({ signIn: '/devportal/sign-in', acceptDialogs: true });
  page = ui.page;
});

after(async () => {
  await ui?.stop();
  await kc?.close();
});

const checkA11y = (name: string) => assertAccessible(page, name);

test('key managers page: add Keycloak by Discover, health OK, edit, test connection, delete', async () => {
  // The connector's own confidential client at the provider (what an operator creates in Keycloak).
  const connector = await dcrConnector(
    parseDefinition(
      JSON.stringify({
        name: 'setup',
        clientRegistrationEndpoint: kc.registrationEndpoint,
        additionalProperties: { initial_access_token: kc.initialAccessToken },
      }),
    )!,
  ).registerClient({ name: 'portico-connector', grantTypes: ['client_credentials'], callbackUrl: '' });

  await page.goto(`${ui.urls.controlPlane}/admin/key-managers`);
  await page.getByRole('cell', { name: 'Resident Key Manager', exact: true }).waitFor();
  await checkA11y('admin-key-managers-list');
  await page.getByRole('link', { name: 'Add Key Manager' }).click();
  const form = page.getByRole('form', { name: 'Add a key manager' });
  // Each type asks for its connector's configuration.
  await form.getByLabel('Type', { exact: true }).selectOption('Okta');
  for (const l of ['Okta instance URL', 'Okta API token', 'Client ID', 'Client secret']) {
    await form.getByLabel(l, { exact: true }).waitFor();
  }
  assert.equal(await form.getByLabel('Okta API token').getAttribute('type'), 'password');
  await form.getByLabel('Type', { exact: true }).selectOption('Keycloak');
  assert.equal(await form.getByLabel('Okta API token').count(), 0);
  await form.getByLabel('Initial access token').waitFor();
  await form.getByLabel('Name', { exact: true }).fill('Keycloak');
  await form.getByLabel('Well-known URL').fill(kc.wellKnown);
  await form.getByRole('button', { name: 'Discover' }).click();
  await form.getByText('The endpoints were filled from the discovery document.').waitFor();
  assert.equal(await form.getByLabel('Issuer', { exact: true }).inputValue(), kc.issuer);
  assert.equal(await form.getByLabel('Token endpoint').inputValue(), kc.tokenEndpoint);
  assert.equal(await form.getByLabel('JWKS endpoint (certificates)').inputValue(), kc.jwksUri);
  assert.equal(await form.getByLabel('Client registration endpoint').inputValue(), kc.registrationEndpoint);
  assert.equal(await form.getByLabel('Consumer key claim').inputValue(), 'azp');
  await form.getByLabel('Client ID').fill(connector.clientId);
  await form.getByLabel('Client secret').fill(connector.clientSecret);
  assert.equal(await form.getByLabel('Client secret').getAttribute('type'), 'password');
  await checkA11y('admin-key-manager-add');
  await form.getByRole('button', { name: 'Add', exact: true }).click();

  // Back on the list: the new manager, then its JWKS health once the control plane has fetched it.
  const link = page.getByRole('link', { name: 'Keycloak', exact: true });
  await link.waitFor();
  const km = (await ui.rest(KMS)).json().list.find((k: { name: string }) => k.name === 'Keycloak');
  assert.equal(km.type, 'Keycloak');
  const row = page.getByRole('row').filter({ has: link });
  await waitFor(
    async () => {
      await page.reload();
      await link.waitFor();
      return (await row.getByText('OK', { exact: true }).count()) === 1;
    },
    15_000,
    500,
  );
  assert.equal(await row.getByRole('cell', { name: 'Yes', exact: true }).count(), 1);
  const stored = (await ui.rest(`${KMS}/${km.id}`)).json();
  assert.equal(stored.additionalProperties.client_secret, '********');
  assert.equal(stored.tokenEndpoint, kc.tokenEndpoint);
  await checkA11y('admin-key-managers-health');

  // Edit: the secret is not shown, only said to be stored; saving without typing it keeps it.
  await page.getByRole('link', { name: 'Edit Keycloak' }).click();
  const edit = page.getByRole('form', { name: 'Edit Keycloak' });
  await edit.getByLabel('Description').fill('Realm portico');
  assert.equal(await edit.getByLabel('Client secret').inputValue(), '');
  await edit.getByText('A client secret is stored.').waitFor();
  assert.equal(await edit.getByLabel('Name', { exact: true }).getAttribute('readonly'), '');
  await edit.getByRole('button', { name: 'Test connection' }).click();
  await page
    .getByRole('region', { name: 'Connection test of Keycloak' })
    .getByText('Connection test of Keycloak: OK')
    .waitFor();
  await checkA11y('admin-key-manager-edit');
  await edit.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('cell', { name: 'Realm portico', exact: true }).waitFor();
  assert.equal((await ui.rest(`${KMS}/${km.id}`)).json().description, 'Realm portico');

  // Test connection: discovery, JWKS and a token with the kept secret all work.
  await page.getByRole('button', { name: 'Test connection of Keycloak' }).click();
  const result = page.getByRole('region', { name: 'Connection test of Keycloak' });
  await result.getByText('Connection test of Keycloak: OK').waitFor();
  for (const text of [
    'Discovery document: OK',
    'JWKS: OK',
    'Client-credentials token: OK — Token request: the provider issued a client-credentials token',
  ]) {
    await result.getByText(text).waitFor();
  }
  assert.equal(await result.getByText(connector.clientSecret).count(), 0);
  await checkA11y('admin-key-managers-test-connection');

  // Delete, confirmed.
  await page.getByRole('button', { name: 'Delete Keycloak' }).click();
  await page.getByText('Key manager Keycloak deleted.').waitFor();
  await link.waitFor({ state: 'detached' });
  assert.deepEqual(
    (await ui.rest(KMS)).json().list.map((k: { name: string }) => k.name),
    ['Resident Key Manager'],
  );
  assert.deepEqual(ui.problems, []);
});

test('Developer Portal keys tab with no enabled key manager says how to add one', async () => {
  // Portico always lists its Resident Key Manager, so an empty list is served to the page here: this pins
  // what the tab says then (the admin link), not the server.
  const appId = (await ui.rest('/api/am/devportal/v3/applications')).json().list[0].applicationId as string;
  await page.route('**/api/am/devportal/v3/key-managers', (r) =>
    r.fulfill({ status: 200, contentType: 'application/json', body: '{"count":0,"list":[]}' }),
  );
  try {
    await page.goto(`${ui.urls.controlPlane}/devportal/applications/${appId}/productionkeys`);
    await page
      .getByText('No key manager is enabled, so this application cannot get OAuth2 keys yet.')
      .waitFor();
    const admin = page.getByRole('link', { name: 'Key Managers', exact: true });
    assert.equal(await admin.getAttribute('href'), '/admin/key-managers');
    await checkA11y('devportal-no-key-manager');
  } finally {
    await page.unroute('**/api/am/devportal/v3/key-managers');
  }
});
