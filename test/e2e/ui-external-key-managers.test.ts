import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertAccessible, startUiPortico, type UiPortico } from '../support/browser.js';
import { waitFor } from '../support/http.js';
import {
  startOidcProvider,
  type OidcProviderFixture,
} from '../../src/key-manager/external/test-support/oidc-provider-fixture.js';

// Keys of external key managers in the Developer Portal, against the real oidc-provider dressed as Keycloak and
// as Okta: the portal offers only what each connector can do (WSO2's KeyManagerInfo has no capability flags, so
// the portal goes by the key manager's type).
let ui: UiPortico;
let page: Page;
let appId: string;
let kc: OidcProviderFixture;
let okta: OidcProviderFixture;

before(async () => {
  kc = await startOidcProvider('keycloak');
  okta = await startOidcProvider('okta');
  ui = await startUiPortico({ signIn: '/devportal/sign-in' });
  page = ui.page;
  appId = (await ui.rest('/api/am/devportal/v3/applications')).json().list[0].applicationId;
});

after(async () => {
  await ui?.stop();
  await kc?.close();
  await okta?.close();
});

const checkA11y = (name: string) => assertAccessible(page, name);

test('external key managers: Keycloak gets free-text scopes and no Regenerate or client secrets; Okta regenerates without grace', async () => {
  for (const [p, type, props] of [
    [kc, 'Keycloak', { initial_access_token: kc.initialAccessToken }],
    [okta, 'Okta', { apiKey: okta.apiToken }],
  ] as const) {
    const disc = await ui.rest('/api/am/admin/v4/key-managers/discover', {
      method: 'POST',
      body: { url: p.wellKnown, type },
    });
    assert.equal(disc.status, 200, disc.text);
    const created = await ui.rest('/api/am/admin/v4/key-managers', {
      method: 'POST',
      body: {
        ...disc.json().value,
        name: type,
        displayName: type,
        clientRegistrationEndpoint: p.registrationEndpoint,
        availableGrantTypes: ['client_credentials'],
        additionalProperties: props,
      },
    });
    assert.equal(created.status, 201, created.text);
  }
  await page.goto(`${ui.urls.controlPlane}/devportal/applications/${appId}/productionkeys`);

  // Keycloak: scopes are typed (Portico cannot list the provider's), and the key cannot be regenerated here.
  await page.getByRole('tab', { name: 'Keycloak' }).click();
  const form = page.getByRole('form', { name: 'Generate production keys' });
  await form.getByRole('textbox', { name: 'Scopes' }).fill('read');
  assert.equal(await form.getByRole('group', { name: 'Scopes' }).count(), 0, 'no picker');
  await checkA11y('devportal-keycloak-generate-keys');
  await form.getByRole('button', { name: 'Generate Keys' }).click();
  await page.getByLabel('Consumer Key', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Generate Access Token' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Regenerate Consumer Secret' }).count(), 0);
  assert.equal(await page.getByRole('heading', { name: 'Client secrets' }).count(), 0);
  await page.getByRole('button', { name: 'Generate Access Token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Generate Access Token' });
  await dialog.getByRole('textbox', { name: 'Scopes' }).waitFor();
  assert.equal(await dialog.getByRole('group', { name: 'Scopes' }).count(), 0);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Okta: Regenerate Consumer Secret is offered, without a grace period (Okta cannot keep the old secret).
  await page.getByRole('tab', { name: 'Okta' }).click();
  await page
    .getByRole('form', { name: 'Generate production keys' })
    .getByRole('button', { name: 'Generate Keys' })
    .click();
  const secret = page.getByLabel('Consumer Secret', { exact: true });
  await secret.waitFor();
  const before = await secret.inputValue();
  assert.equal(await page.getByRole('heading', { name: 'Client secrets' }).count(), 0);
  await page.getByRole('button', { name: 'Regenerate Consumer Secret' }).click();
  const regenerate = page.getByRole('dialog', { name: 'Regenerate Consumer Secret' });
  await regenerate.getByRole('button', { name: 'Regenerate', exact: true }).waitFor();
  assert.equal(await regenerate.getByLabel('Grace period (seconds)').count(), 0);
  await checkA11y('devportal-okta-regenerate-secret');
  await regenerate.getByRole('button', { name: 'Regenerate', exact: true }).click();
  await regenerate.waitFor({ state: 'hidden' });
  await waitFor(async () => (await secret.inputValue()) !== before, 5_000, 100);
  assert.deepEqual(ui.problems, []);
});
