import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertAccessible, newContext, signIn, startUiPortico, type UiPortico } from '../support/browser.js';

// Issue 13: the Publisher's API page shows and sets WSO2's "Publisher Access Control" (accessControl and
// accessControlRoles), and a publisher without one of the roles no longer sees the API in the list.
let ui: UiPortico;
let page: Page;
let problems: string[];
let apiId = '';

before(async () => {
  ui = await startUiPortico({
    signIn: '/publisher/apis',
    toml: '\n[user_store]\ncustom_roles = ["team-a"]\n',
  });
  ({ page, problems } = ui);
  const sample = await ui.rest('/api/am/publisher/v4/apis/deploy-sample', { method: 'POST' });
  assert.equal(sample.status, 201, sample.text);
  apiId = sample.json().id as string;
  const bob = await ui.rest('/api/am/admin/v4/users', {
    method: 'POST',
    body: { username: 'bob', password: 'bob-password-1', roles: ['creator', 'publisher'] },
  });
  assert.equal(bob.status, 201, bob.text);
});

after(async () => {
  await ui?.stop();
});

test('Access Control: the select and roles field restrict the API, the server refuses unknown roles, the Overview shows it', async () => {
  await page.goto(`${ui.urls.controlPlane}/publisher/apis/${apiId}/access-control`);
  const select = page.getByLabel('Publisher access control');
  assert.equal(await select.inputValue(), 'NONE');
  await select.selectOption('RESTRICTED');
  const roles = page.getByLabel('Roles');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Enter at least one role, e.g. Internal/publisher.').waitFor();
  assert.equal(await roles.getAttribute('aria-invalid'), 'true');

  await roles.fill('team-a, no-such-role');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('alert').filter({ hasText: 'no-such-role' }).waitFor();
  const unchanged = (await ui.rest(`/api/am/publisher/v4/apis/${apiId}`)).json();
  assert.equal(unchanged.accessControl, 'NONE', 'the refused save wrote nothing');

  await roles.fill('team-a');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  await assertAccessible(page, 'publisher-access-control');
  const saved = (await ui.rest(`/api/am/publisher/v4/apis/${apiId}`)).json();
  assert.equal(saved.accessControl, 'RESTRICTED');
  assert.deepEqual(saved.accessControlRoles, ['team-a']);

  await page.goto(`${ui.urls.controlPlane}/publisher/apis/${apiId}/overview`);
  await page.getByText('Restricted to team-a').waitFor();
  assert.deepEqual(problems, []);
});

test('a publisher without the role does not see the restricted API in the list, and its page explains why', async () => {
  const context = await newContext(ui.browser);
  try {
    const bobPage = await context.newPage();
    await signIn(bobPage, `${ui.urls.controlPlane}/publisher/apis`, 'bob', 'bob-password-1');
    await bobPage.getByText('No APIs yet').or(bobPage.getByRole('table')).first().waitFor();
    assert.equal(await bobPage.getByText('PizzaShackAPI').count(), 0);
    await bobPage.goto(`${ui.urls.controlPlane}/publisher/apis/${apiId}/overview`);
    await bobPage.getByRole('alert').filter({ hasText: 'not authorized to view or modify' }).waitFor();
  } finally {
    await context.close();
  }
});
