import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  newContext,
  signIn,
  startUiPortico,
  type UiPortico,
  watchPageProblems,
} from '../support/browser.js';
import { cellsOf } from '../support/ui-api-keys.js';

// Admin → Application Policies in Chromium against a real all-in-one: the burst control (rate limiting) group of
// the add/edit form, checked against the Admin REST API (`burstLimit`); bad counts are refused and write nothing.
let ui: UiPortico;
const BASE = '/api/am/admin/v4/throttling/policies/application';

type Policy = { policyId: string; policyName: string; description: string; burstLimit: unknown };
const policies = async () => (await ui.rest(BASE)).json().list as Policy[];
const byName = async (name: string) => (await policies()).find((p) => p.policyName === name);

/** The list row of `name` by column header. */
async function rowOf(page: Page, name: string) {
  const table = page.getByRole('table');
  return cellsOf(
    table,
    table.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) }),
  );
}

before(async () => {
  ui = await startUiPortico();
});

after(async () => {
  await ui?.stop();
});

test('application policy burst control: add 3/min, edit keeps it, clear to none; bad counts refused', async () => {
  const page = await (await newContext(ui.browser, 1280, 900)).newPage();
  const problems = watchPageProblems(page);
  await signIn(page, `${ui.urls.controlPlane}/devportal/sign-in`, 'admin', ui.password);
  await page.goto(`${ui.urls.controlPlane}/admin/policies/application`);
  assert.equal((await rowOf(page, '50PerMin'))['Burst control'], '—');
  await page.getByRole('link', { name: 'Add Policy' }).click();
  await page.getByRole('heading', { name: 'Add an application policy' }).waitFor();
  await page.getByRole('group', { name: 'Burst control (rate limiting)' }).waitFor();
  await assertAccessible(page, 'admin-application-policy-burst-add');

  await page.getByLabel('Name', { exact: true }).fill('BurstApp');
  await page.getByLabel('Request count', { exact: true }).fill('100');
  await page.getByLabel('Time unit', { exact: true }).selectOption('min');
  const count = page.getByLabel('Request count (burst)');
  const unit = page.getByLabel('Burst time unit');
  await count.fill('three');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByText('Enter a whole number (0 or empty: no burst control).').waitFor();
  assert.equal(await count.getAttribute('aria-invalid'), 'true');
  await assertAccessible(page, 'admin-application-policy-burst-field-error');
  assert.equal(await byName('BurstApp'), undefined);

  // Over 2^31 - 1: the browser lets it through, the server refuses it and the form shows its message.
  await count.fill('9999999999');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByRole('alert').getByText('burstLimit.rateLimitCount must be an integer').waitFor();
  assert.equal(await byName('BurstApp'), undefined);

  await count.fill('3');
  await unit.selectOption('min');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByRole('link', { name: 'BurstApp', exact: true }).waitFor();
  assert.equal((await rowOf(page, 'BurstApp'))['Burst control'], '3/min');
  const added = await byName('BurstApp');
  assert.deepEqual(added?.burstLimit, { rateLimitCount: 3, rateLimitTimeUnit: 'min' });
  const one = await ui.rest(`${BASE}/${added.policyId}`);
  assert.deepEqual(one.json().burstLimit, { rateLimitCount: 3, rateLimitTimeUnit: 'min' });
  await assertAccessible(page, 'admin-application-policy-burst-list');

  // GET → form → PUT keeps the burst control.
  await page.getByRole('link', { name: 'Edit BurstApp' }).click();
  await page.getByRole('heading', { name: 'Edit BurstApp' }).waitFor();
  assert.equal(await count.inputValue(), '3');
  assert.equal(await unit.inputValue(), 'min');
  await assertAccessible(page, 'admin-application-policy-burst-edit');
  await page.getByLabel('Description').fill('burst kept');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('cell', { name: 'burst kept', exact: true }).waitFor();
  const kept = await byName('BurstApp');
  assert.deepEqual(kept?.burstLimit, { rateLimitCount: 3, rateLimitTimeUnit: 'min' });

  // Cleared (empty) → none.
  await page.getByRole('link', { name: 'Edit BurstApp' }).click();
  await page.getByRole('heading', { name: 'Edit BurstApp' }).waitFor();
  await count.fill('');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('link', { name: 'BurstApp', exact: true }).waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal((await rowOf(page, 'BurstApp'))['Burst control'], '—');
  const cleared = await ui.rest(`${BASE}/${added.policyId}`);
  assert.equal(cleared.json().burstLimit, null);
  assert.equal(cleared.json().description, 'burst kept');

  // A policy with none opens with 0 and saves none again.
  await page.getByRole('link', { name: 'Edit BurstApp' }).click();
  await page.getByRole('heading', { name: 'Edit BurstApp' }).waitFor();
  assert.equal(await count.inputValue(), '0');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('link', { name: 'BurstApp', exact: true }).waitFor();
  assert.equal((await ui.rest(`${BASE}/${added.policyId}`)).json().burstLimit, null);
  assert.deepEqual(problems, []);
});
