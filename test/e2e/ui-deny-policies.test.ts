import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  newContext,
  seriousA11yViolations,
  signIn,
  startUiPortico,
  type UiPortico,
  watchPageProblems,
} from '../support/browser.js';

// Admin → Deny Policies against a real all-in-one in Chromium: add, disable, enable and delete, each checked
// against the Admin REST API; a bad IP shows the server's error and writes nothing.
let ui: UiPortico;

const list = async () =>
  (await ui.rest('/api/am/admin/v4/throttling/deny-policies')).json().list as {
    conditionType: string;
    conditionValue: unknown;
    conditionStatus: boolean;
  }[];

before(async () => {
  ui = await startUiPortico();
});

after(async () => {
  await ui?.stop();
});

test('deny policies page: add, disable, enable, delete; bad input refused', async () => {
  const page = await (await newContext(ui.browser, 1280, 900)).newPage();
  const problems = watchPageProblems(page);
  await signIn(page, `${ui.urls.controlPlane}/devportal/sign-in`, 'admin', ui.password);
  await page.goto(`${ui.urls.controlPlane}/admin/deny-policies`);
  await page.getByText('No deny policies.').waitFor();

  await page.getByLabel('Condition type').selectOption('IP');
  await page.getByLabel('Value').fill('10.0.0.300');
  await page.getByRole('button', { name: 'Add deny policy' }).click();
  await page.getByText('fixedIp must be an IPv4 or IPv6 address').waitFor();
  assert.deepEqual(await list(), []);

  await page.getByLabel('Condition type').selectOption('APPLICATION');
  await page.getByLabel('Value').fill('alice:PizzaApp');
  await page.getByRole('button', { name: 'Add deny policy' }).click();
  await page.getByText('Deny policy on alice:PizzaApp added.').waitFor();
  await page.getByRole('cell', { name: 'alice:PizzaApp', exact: true }).waitFor();
  const [added] = await list();
  assert.equal(added?.conditionType, 'APPLICATION');
  assert.equal(added.conditionValue, 'alice:PizzaApp');
  assert.equal(added.conditionStatus, true);
  assert.deepEqual(await seriousA11yViolations(page), []);

  await page.getByRole('button', { name: 'Disable the deny policy on alice:PizzaApp' }).click();
  await page.getByRole('cell', { name: 'Disabled', exact: true }).waitFor();
  assert.equal((await list())[0]!.conditionStatus, false);
  await page.getByRole('button', { name: 'Enable the deny policy on alice:PizzaApp' }).click();
  await page.getByRole('cell', { name: 'Enabled', exact: true }).waitFor();
  assert.equal((await list())[0]!.conditionStatus, true);

  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Delete the deny policy on alice:PizzaApp' }).click();
  await page.getByText('No deny policies.').waitFor();
  assert.deepEqual(await list(), []);
  assert.deepEqual(problems, []);
});
