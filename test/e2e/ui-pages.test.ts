import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  describeViolations,
  newContext,
  screenshot,
  seriousA11yViolations,
  signIn,
  startUiPortico,
  type UiPortico,
  watchPageProblems,
} from '../support/browser.js';

// Every main page at desktop (1280 px) and phone (390 px) width: screenshot, no serious/critical axe violation,
// no horizontal overflow, no CSP violation.
let ui: UiPortico;
let apiId: string;
let appId: string;

const rest = (path: string, opts: { method?: string; body?: unknown } = {}) => ui.rest(path, opts);

before(async () => {
  ui = await startUiPortico();
  const sample = await rest('/api/am/publisher/v4/apis/deploy-sample', { method: 'POST' });
  assert.equal(sample.status, 201, sample.text);
  apiId = sample.json().id;
  appId = (await rest('/api/am/devportal/v3/applications')).json().list[0].applicationId;
  await rest('/api/am/devportal/v3/subscriptions', {
    method: 'POST',
    body: { applicationId: appId, apiId, throttlingPolicy: 'Unlimited' },
  });
});

after(async () => {
  await ui?.stop();
});

/** [screenshot name, path, text that shows the page is loaded]. */
const PAGES = (): [string, string, string | RegExp][] => [
  ['devportal-apis', '/devportal/apis', 'PizzaShackAPI'],
  ['devportal-api-overview', `/devportal/apis/${apiId}`, 'Gateway URLs'],
  [
    'devportal-api-subscribe',
    `/devportal/apis/${apiId}/subscriptions`,
    'Applications subscribed to this API',
  ],
  ['devportal-applications-list', '/devportal/applications', 'DefaultApplication'],
  ['devportal-application-create', '/devportal/applications/create', 'Create an application'],
  ['devportal-application-overview', `/devportal/applications/${appId}`, 'Workflow status'],
  ['devportal-application-production-keys', `/devportal/applications/${appId}/productionkeys`, 'Grant types'],
  ['devportal-application-subscriptions', `/devportal/applications/${appId}/subscriptions`, 'PizzaShackAPI'],
  ['devportal-application-api-key', `/devportal/applications/${appId}/apikey`, 'Issued API keys'],
  ['publisher-apis', '/publisher/apis', 'PizzaShackAPI'],
  ['publisher-overview', `/publisher/apis/${apiId}/overview`, 'Application level security'],
  ['publisher-runtime-page', `/publisher/apis/${apiId}/runtime`, 'Application Level Security'],
  ['publisher-resources', `/publisher/apis/${apiId}/resources`, 'Add a resource'],
  ['publisher-subscriptions', `/publisher/apis/${apiId}/subscriptions`, 'DefaultApplication'],
  ['publisher-lifecycle', `/publisher/apis/${apiId}/lifecycle`, 'Current state'],
  ['publisher-deployments-page', `/publisher/apis/${apiId}/deployments`, 'Revision 1'],
  ['publisher-create-api', '/publisher/apis/create', 'Create an API'],
  ['publisher-import-openapi', '/publisher/apis/import', 'OpenAPI file (YAML or JSON)'],
  ['admin-subscription-policies', '/admin/policies/subscription', 'Gold'],
  ['admin-application-policies', '/admin/policies/application', '50PerMin'],
  ['admin-advanced-policies', '/admin/policies/advanced', '50KPerMin'],
  ['admin-policy-create', '/admin/policies/subscription/create', 'Burst control (rate limiting)'],
  ['admin-application-policy-create', '/admin/policies/application/create', 'Burst control (rate limiting)'],
  ['admin-users', '/admin/users', 'Add a user'],
  ['admin-deny-policies', '/admin/deny-policies', 'Add a deny policy'],
  ['admin-gateways', '/admin/gateways', /Change log head: \d+/],
];

async function visitAll(page: Page, suffix: string) {
  const problems = watchPageProblems(page);
  for (const [name, path, ready] of PAGES()) {
    await page.goto(`${ui.urls.controlPlane}${path}`);
    await page.getByText(ready).first().waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, `${name}-${suffix}`);
    const v = await seriousA11yViolations(page);
    assert.deepEqual(v, [], `${name} (${suffix}):\n${describeViolations(v)}`);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 1, `${name} (${suffix}) scrolls sideways by ${overflow}px`);
  }
  assert.deepEqual(problems, []);
}

test('main pages at 1280 px: screenshots, no serious accessibility violation', async () => {
  const page = await (await newContext(ui.browser, 1280, 900)).newPage();
  await signIn(page, `${ui.urls.controlPlane}/devportal/sign-in`, 'admin', ui.password);
  await visitAll(page, '1280');
});

test('main pages at 390 px: screenshots, no serious accessibility violation, no sideways scrolling', async () => {
  const page = await (await newContext(ui.browser, 390, 844)).newPage();
  await signIn(page, `${ui.urls.controlPlane}/devportal/sign-in`, 'admin', ui.password);
  await visitAll(page, '390');
});

test('visitor pages: APIs and sign-up are public; protected pages show the sign-in form', async () => {
  const page = await (await newContext(ui.browser)).newPage();
  await page.goto(`${ui.urls.controlPlane}/`);
  assert.equal(new URL(page.url()).pathname, '/devportal');
  await page.getByText('PizzaShackAPI').waitFor();
  await page.goto(`${ui.urls.controlPlane}/devportal/sign-up`);
  await page.getByRole('heading', { name: 'Sign up' }).waitFor();
  await screenshot(page, 'devportal-sign-up');
  assert.deepEqual(await seriousA11yViolations(page), []);
  for (const path of ['/publisher', '/admin/users', `/devportal/applications/${appId}`]) {
    await page.goto(`${ui.urls.controlPlane}${path}`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  }
});

test('keyboard: tabs move with the arrow keys, dialogs close with Escape, the key manager menu hides on 404', async () => {
  const page = await (await newContext(ui.browser)).newPage();
  await signIn(page, `${ui.urls.controlPlane}/devportal/sign-in`, 'admin', ui.password);
  await page.goto(`${ui.urls.controlPlane}/devportal/applications/${appId}`);
  await page.getByRole('tab', { name: 'Overview' }).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(
    await page.getByRole('tab', { name: 'Production Keys' }).getAttribute('aria-selected'),
    'true',
  );
  assert.equal(
    await page.evaluate<string | undefined>('document.activeElement?.textContent'),
    'Production Keys',
  );
  await page.keyboard.press('End');
  assert.equal(await page.getByRole('tab', { name: 'Usage' }).getAttribute('aria-selected'), 'true');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getByRole('tab', { name: 'API Key' }).getAttribute('aria-selected'), 'true');
  await page.keyboard.press('Tab');
  await page.getByRole('button', { name: 'GENERATE KEY' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('dialog', { name: 'Generate API Key' }).waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'hidden' });

  await page.goto(`${ui.urls.controlPlane}/admin/users`);
  await page.getByRole('heading', { name: 'Users and Roles' }).waitFor();
  const km = await rest('/api/am/admin/v4/key-managers');
  const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Key Managers' });
  if (km.status === 404) assert.equal(await link.count(), 0);
  else {
    await link.click();
    await page.getByRole('heading', { name: 'Key Managers' }).waitFor();
  }
});
