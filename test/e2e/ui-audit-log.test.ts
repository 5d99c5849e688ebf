import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import {
  ensureWebBuilt,
  launchBrowser,
  newContext,
  screenshot,
  seriousA11yViolations,
  signIn,
  watchPageProblems,
} from '../support/browser.js';
import { basic } from '../support/control-plane-harness.js';
import { http } from '../support/http.js';
import { startPortico, tempHome } from '../support/portico-process.js';

// Admin → Audit Log against a real all-in-one in Chromium: the admin's own sign-in, a user created over REST and
// a failed Basic sign-in show up; the Event and Outcome filters narrow the list as the REST API does; a
// subscriber gets no Audit Log. Its own port offset (640), so it can run beside the other UI tests.
const CP = 'https://localhost:10083';
let portico: Awaited<ReturnType<typeof startPortico>>;
let browser: Browser;
let password: string;

const admin = () => ({ authorization: basic('admin', password) });

before(async () => {
  ensureWebBuilt();
  const home = tempHome('[server]\noffset = 640\n\n[apim.sample]\ndeploy_on_first_start = false\n');
  portico = await startPortico(home);
  password = readFileSync(join(home, 'initial-admin-password'), 'utf8').trim();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portico?.stop();
});

test('audit log page: events listed newest first, filters, admin only', async () => {
  const created = await http(`${CP}/api/am/admin/v4/users`, {
    method: 'POST',
    headers: { ...admin(), 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'olivia', password: 'olivia-password-1', roles: ['subscriber'] }),
  });
  assert.equal(created.status, 201, created.text);
  const refused = await http(`${CP}/api/am/devportal/v3/applications`, {
    headers: { authorization: basic('olivia', 'not-her-password') },
  });
  assert.equal(refused.status, 401);

  const page = await (await newContext(browser, 1280, 900)).newPage();
  const problems = watchPageProblems(page);
  await signIn(page, `${CP}/devportal/sign-in`, 'admin', password);
  await page.goto(`${CP}/admin/audit-log`);
  await page.getByRole('heading', { name: 'Audit Log' }).waitFor();
  const table = page.getByRole('table', { name: 'Audit events' });
  await table.getByRole('cell', { name: 'user.created', exact: true }).first().waitFor();
  await table.getByRole('cell', { name: 'user olivia', exact: true }).first().waitFor();
  await table.getByRole('cell', { name: 'Failure: wrong-password', exact: true }).waitFor();
  // The admin's own sign-in through the form is the newest event.
  const firstRow = table.getByRole('row').nth(1);
  assert.match(
    await firstRow.innerText(),
    /user\.signed-in[\s\S]*user admin[\s\S]*Success[\s\S]*channel: session/,
  );
  assert.deepEqual(await seriousA11yViolations(page), []);
  await screenshot(page, 'admin-audit-log');

  await page.getByLabel('Event', { exact: true }).selectOption('user.signed-in');
  await page.getByLabel('Outcome', { exact: true }).selectOption('failure');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.getByText('Events 1–1 of 1, newest first.').waitFor();
  assert.match(await table.getByRole('row').nth(1).innerText(), /olivia[\s\S]*Failure: wrong-password/);
  const rest = await http(`${CP}/api/am/admin/v4/audit-events?action=user.signed-in&outcome=failure`, {
    headers: admin(),
  });
  assert.equal(rest.json().pagination.total, 1, 'the page shows what the REST API answers');

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await table.getByRole('cell', { name: 'user.created', exact: true }).first().waitFor();
  assert.deepEqual(problems, []);

  // A subscriber has no Audit Log in the menu, and the REST API refuses the list.
  const sub = await (await newContext(browser, 1280, 900)).newPage();
  await signIn(sub, `${CP}/devportal/sign-in`, 'olivia', 'olivia-password-1');
  const forbidden = await http(`${CP}/api/am/admin/v4/audit-events`, {
    headers: { authorization: basic('olivia', 'olivia-password-1') },
  });
  assert.equal(forbidden.status, 403);
  await sub.goto(`${CP}/admin/audit-log`);
  assert.equal(await sub.getByRole('link', { name: 'Audit Log' }).count(), 0);
});
