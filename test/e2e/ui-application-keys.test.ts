import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertAccessible, signIn, startUiPortico, type UiPortico } from '../support/browser.js';
import { http, waitFor } from '../support/http.js';

// Seed 000 ("Application Keys"), followed literally through the UI; the token then calls the gateway.
let ui: UiPortico;
let page: Page;

before(async () => {
  ui = await startUiPortico({ acceptDialogs: true, clipboard: true });
  page = ui.page;
  const rest = ui.rest;

  // Setup outside the flow under test: the PizzaShack sample, and DefaultApplication subscribed to it.
  const sample = await rest('/api/am/publisher/v4/apis/deploy-sample', { method: 'POST' });
  assert.equal(sample.status, 201, sample.text);
  const apps = await rest('/api/am/devportal/v3/applications');
  const app = apps.json().list.find((a: { name: string }) => a.name === 'DefaultApplication');
  assert.ok(app, apps.text);
  const sub = await rest('/api/am/devportal/v3/subscriptions', {
    method: 'POST',
    body: { applicationId: app.applicationId, apiId: sample.json().id, throttlingPolicy: 'Unlimited' },
  });
  assert.equal(sub.status, 201, sub.text);
});

after(async () => {
  await ui?.stop();
});

const checkA11y = (name: string) => assertAccessible(page, name);

test('Application Keys flow: sign in, Applications, DefaultApplication, Production Keys, Generate Keys, copy the token, call the API', async () => {
  // 1. Sign in to the Developer Portal.
  await page.goto(`${ui.urls.controlPlane}/devportal`);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await checkA11y('devportal-sign-in');
  await signIn(page, page.url(), 'admin', ui.password);
  // 2. Click Applications, then the application.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Applications' }).click();
  await page.getByRole('heading', { name: 'Applications', level: 1 }).waitFor();
  await checkA11y('devportal-applications');
  await page.getByRole('link', { name: 'DefaultApplication', exact: true }).click();
  await page.getByRole('heading', { name: 'DefaultApplication', level: 1 }).waitFor();
  // 3. Click Production Keys and Generate Keys.
  await page.getByRole('tab', { name: 'Production Keys' }).click();
  await page.getByRole('tab', { name: 'Resident Key Manager' }).waitFor();
  assert.equal(await page.getByLabel('Access token validity period').inputValue(), '3600');
  await checkA11y('devportal-production-keys-empty');
  await page.getByRole('button', { name: 'Generate Keys' }).click();
  const tokenField = page.getByLabel('Access Token', { exact: true });
  await tokenField.waitFor();
  // Consumer key and secret are shown; the secret hidden until asked.
  const consumerKey = await page.getByLabel('Consumer Key', { exact: true }).inputValue();
  assert.match(consumerKey, /^[A-Za-z0-9_]{28}$/);
  const secret = page.getByLabel('Consumer Secret', { exact: true });
  assert.equal(await secret.getAttribute('type'), 'password');
  await page.getByRole('button', { name: 'Show Consumer Secret' }).click();
  assert.equal(await secret.getAttribute('type'), 'text');
  await checkA11y('devportal-production-keys-generated');

  // Copy the JWT access token (the Copy button writes it to the clipboard).
  await page.getByRole('button', { name: 'Copy Access Token' }).click();
  await page.getByText('Access Token copied to the clipboard').waitFor();
  const token = await page.evaluate<string>('navigator.clipboard.readText()');
  assert.equal(token, await tokenField.inputValue());
  assert.equal(token.split('.').length, 3, 'a JWT');

  // The token calls the API on the gateway.
  let res = await http(`${ui.urls.gateway}/pizzashack/1.0.0/menu`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await waitFor(
    async () => {
      res = await http(`${ui.urls.gateway}/pizzashack/1.0.0/menu`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return res.status === 200;
    },
    10_000,
    200,
  ).catch(() => assert.fail(`gateway: ${res.status} ${res.text}`));
  assert.equal(res.json().length, 10);

  // A second token from the Generate Access Token dialog, with its validity period, works as well.
  await page.getByRole('button', { name: 'Generate Access Token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Generate Access Token' });
  await dialog.getByLabel('Access token validity period').fill('600');
  await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
  const second = await dialog.getByLabel('Access Token', { exact: true }).inputValue();
  await dialog.getByText('Valid for 600 seconds').waitFor();
  await checkA11y('devportal-generate-token-dialog');
  await dialog.getByRole('button', { name: 'Done' }).click();
  assert.notEqual(second, token);
  const again = await http(`${ui.urls.gateway}/pizzashack/1.0.0/menu`, {
    headers: { authorization: `Bearer ${second}` },
  });
  assert.equal(again.status, 200, again.text);

  assert.deepEqual(ui.problems, []);
});

test('try-it console: a token generated in this page calls the API on the gateway from the browser', async () => {
  // The console calls the gateway on another origin: the gateway answers the CORS preflight ([apim.cors], on by
  // default as in WSO2).
  const preflight = await http(`${ui.urls.gateway}/pizzashack/1.0.0/menu`, {
    method: 'OPTIONS',
    headers: {
      origin: ui.urls.controlPlane,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    },
  });
  assert.equal(preflight.status, 204);
  assert.ok(preflight.headers['access-control-allow-origin'], 'the gateway answers the preflight');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'APIs' }).click();
  await page.getByRole('link', { name: 'PizzaShackAPI' }).click();
  await page.getByRole('tab', { name: 'Try Out' }).click();
  await page.getByLabel('Pick a token generated in this session').selectOption({ index: 1 });
  await page.getByLabel('Resource').selectOption('GET /menu');
  await page.getByRole('button', { name: 'Send' }).click();
  await checkA11y('devportal-try-it');
  const response = page.getByRole('heading', { name: /^Response:/ });
  await response.waitFor({ timeout: 5000 });
  assert.match((await response.textContent()) ?? '', /Response: 200/);
  assert.match((await page.getByLabel('Response body').textContent()) ?? '', /BBQ Chicken Bacon/);
});
