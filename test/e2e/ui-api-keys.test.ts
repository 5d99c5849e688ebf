import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { assertAccessible, signIn, startUiPortico, type UiPortico } from '../support/browser.js';
import { waitFor } from '../support/http.js';

// Seed 004 ("Secure APIs with API Keys"), followed literally through the UI, then the seed's curl commands.
let ui: UiPortico;
let page: Page;

before(async () => {
  ui = await startUiPortico({ acceptDialogs: true });
  page = ui.page;
});

after(async () => {
  await ui?.stop();
});

/** The seed's curl, with `apikey` as a header, run for real from 127.0.0.1. Returns [status, body]. */
function curlWithHeader(key: string): [number, string] {
  const out = execFileSync(
    'curl',
    [
      '-k',
      '-s',
      '-w',
      '\n%{http_code}',
      '-X',
      'GET',
      `${ui.urls.gateway}/pizzashack/1.0.0/menu`,
      '-H',
      'accept: application/json',
      '-H',
      `apikey: ${key}`,
    ],
    { encoding: 'utf8' },
  );
  const nl = out.lastIndexOf('\n');
  return [Number(out.slice(nl + 1)), out.slice(0, nl)];
}

function curlWithQuery(key: string): [number, string] {
  const out = execFileSync(
    'curl',
    [
      '-k',
      '-s',
      '-w',
      '\n%{http_code}',
      '-X',
      'GET',
      `${ui.urls.gateway}/pizzashack/1.0.0/menu?apikey=${encodeURIComponent(key)}`,
    ],
    { encoding: 'utf8' },
  );
  const nl = out.lastIndexOf('\n');
  return [Number(out.slice(nl + 1)), out.slice(0, nl)];
}

const checkA11y = (name: string) => assertAccessible(page, name);

/** Opens GENERATE KEY on the API Key tab, restricts to `ip`, and returns the key shown once. */
async function generateIpRestrictedKey(ip: string, name: string): Promise<string> {
  await page.getByRole('button', { name: 'GENERATE KEY' }).click();
  const dialog = page.getByRole('dialog', { name: 'Generate API Key' });
  await dialog.getByLabel('Key name').fill(name);
  assert.equal(
    await dialog.getByLabel('API Key with infinite validity period').isChecked(),
    true,
    'checked by default',
  );
  await dialog.getByLabel('IP Addresses').check();
  await dialog.getByLabel('IP address', { exact: true }).fill(ip);
  await dialog.getByRole('button', { name: 'Add IP address' }).click();
  await dialog.getByRole('listitem').filter({ hasText: ip }).waitFor();
  await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
  const field = dialog.getByLabel('API Key', { exact: true });
  await field.waitFor();
  const key = await field.inputValue();
  await checkA11y('devportal-api-key-generated');
  await dialog.getByRole('button', { name: 'Done' }).click();
  return key;
}

test('API Keys flow: Publisher enables API Key and deploys; Developer Portal subscribes and generates an IP-restricted key that works with curl', async () => {
  // Step 1 - Create and publish an API.
  await signIn(page, `${ui.urls.controlPlane}/publisher`, 'admin', ui.password);
  await page.getByRole('button', { name: 'DEPLOY SAMPLE API' }).click();
  await page.getByRole('heading', { name: 'PizzaShackAPI', level: 1 }).waitFor();
  await checkA11y('publisher-api-overview');
  await page.getByRole('button', { name: 'Develop' }).click();
  await page.getByRole('button', { name: 'API Configurations' }).click();
  await page.getByRole('link', { name: 'Runtime' }).click();
  await page.getByRole('group', { name: 'Application Level Security' }).waitFor();
  await page.getByLabel('API Key', { exact: true }).check();
  assert.equal(await page.getByLabel('APIKey Header').inputValue(), 'apikey');
  await checkA11y('publisher-runtime');
  await page.getByRole('button', { name: 'Save and Deploy' }).click();
  await page.getByRole('heading', { name: 'Deployments', level: 1 }).waitFor();
  await page.getByText(/Saved and deployed as Revision 2/).waitFor();
  await page.getByLabel('Default (localhost)').check();
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  await page.getByText(/Revision 3 is deployed to the Default gateway/).waitFor();
  await checkA11y('publisher-deployments');

  // Step 2 - Generate the API key.
  await page.goto(`${ui.urls.controlPlane}/devportal`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'APIs' }).click();
  await page.getByRole('link', { name: 'PizzaShackAPI' }).click();
  await page.getByRole('tab', { name: 'Subscriptions' }).click();
  await page.getByLabel('Application', { exact: true }).selectOption({ label: 'DefaultApplication' });
  await page.getByLabel('Throttling policy').selectOption('Unlimited');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await page
    .getByText('DefaultApplication is subscribed to PizzaShackAPI with the Unlimited policy.')
    .waitFor();
  await checkA11y('devportal-api-subscriptions');
  await page.getByRole('link', { name: /MANAGE APP/ }).click();
  await page.getByRole('heading', { name: 'DefaultApplication', level: 1 }).waitFor();
  await page.getByRole('tab', { name: 'API Key' }).click();
  await page.getByRole('button', { name: 'GENERATE KEY' }).waitFor();
  await checkA11y('devportal-api-key-tab');
  const key = await generateIpRestrictedKey('127.0.0.1', 'from-localhost');
  assert.match(key, /^[\w=-]+\.[\w=-]+\.[\w=-]+$/);

  // Step 3 - Invoke the API with the key, as the seed's curl commands do.
  let status = 0;
  let body = '';
  await waitFor(
    () => {
      [status, body] = curlWithHeader(key);
      return status === 200;
    },
    10_000,
    200,
  ).catch(() => assert.fail(`curl with the apikey header: ${status} ${body}`));
  const menu = JSON.parse(body) as { name: string; price: string }[];
  assert.equal(menu.length, 10);
  assert.equal(menu[0]!.name, 'BBQ Chicken Bacon');
  const [qs, qbody] = curlWithQuery(key);
  assert.equal(qs, 200, qbody);

  // A key restricted to another IP is refused with 403 / 900908.
  const other = await generateIpRestrictedKey('10.11.12.13', 'elsewhere');
  const [os, obody] = curlWithHeader(other);
  assert.equal(os, 403, obody);
  assert.match(obody, /900908/);

  // The issued keys list shows both, with their restrictions and no key material.
  const rows = page.getByRole('row');
  await rows.filter({ hasText: 'from-localhost' }).getByText('IP: 127.0.0.1').waitFor();
  await rows.filter({ hasText: 'elsewhere' }).getByText('IP: 10.11.12.13').waitFor();
  assert.ok(!(await page.content()).includes(key), 'the key is not kept in the page after the dialog closes');
  assert.deepEqual(ui.problems, []);
});
