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

// Admin → Gateways against a real all-in-one: gateways heartbeat as real gateways do (POST to the control
// plane), the page lists them, refreshes on its own while visible (and not while hidden), marks a silent gateway
// STALE, and answers "enforced on N of M" for a change version.
let ui: UiPortico;

const rest = (path: string, opts: { method?: string; body?: unknown } = {}) => ui.rest(path, opts);

interface Beat {
  id: string;
  address: string;
  appliedVersion: number;
  source: 'live' | 'cache';
}
const startedAt = Date.now();
async function heartbeat(b: Beat): Promise<void> {
  const r = await rest('/internal/data/v1/gateways/heartbeat', {
    method: 'POST',
    body: { ...b, softwareVersion: '0.1.0-test', appliedAt: Date.now(), startedAt },
  });
  assert.equal(r.status, 200, r.text);
}

before(async () => {
  ui = await startUiPortico();
});

after(async () => {
  await ui?.stop();
});

/** The cells of the row whose first cell is `id`, in the table named `table`. */
async function rowCells(page: Page, table: string, id: string): Promise<string[]> {
  const row = page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: id });
  await row.waitFor();
  return (await row.getByRole('cell').allInnerTexts()).map((t) => t.trim());
}

/** The enforcement summary as the REST API computes it now. */
async function expectedSummary(version: number): Promise<string> {
  const e = (await rest(`/api/am/admin/v4/gateways?minVersion=${version}`)).json().enforcement;
  return `Enforced on ${e.enforced} of ${e.total} active ${e.total === 1 ? 'gateway' : 'gateways'}`;
}

test('Admin → Gateways: list, lag, self-refresh only while visible, enforced on N of M, STALE', async () => {
  // A change, so that there is a version to enforce.
  const created = await rest('/api/am/devportal/v3/applications', {
    method: 'POST',
    body: { name: 'GatewaysPageApp', throttlingPolicy: 'Unlimited' },
  });
  assert.equal(created.status, 201, created.text);
  const head: number = (await rest('/api/am/admin/v4/gateways')).json().head;
  assert.ok(head >= 1, `the change log has a head (${head})`);

  const a: Beat = {
    id: 'gw-ui-a',
    address: 'https://gw-a.example:8243',
    appliedVersion: head,
    source: 'live',
  };
  const b: Beat = {
    id: 'gw-ui-b',
    address: 'https://gw-b.example:8243',
    appliedVersion: head - 1,
    source: 'cache',
  };
  const silent: Beat = {
    id: 'gw-ui-silent',
    address: 'https://gw-c.example:8243',
    appliedVersion: head,
    source: 'live',
  };
  await heartbeat(silent); // once only: it goes STALE after 30 s
  await Promise.all([heartbeat(a), heartbeat(b)]);
  const beating = setInterval(() => void Promise.all([heartbeat(a), heartbeat(b)]).catch(() => {}), 5_000);
  try {
    const page = await (await newContext(ui.browser)).newPage();
    const problems = watchPageProblems(page);
    await signIn(page, `${ui.urls.controlPlane}/admin/users`, 'admin', ui.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Gateways' }).click();
    await page.getByRole('heading', { name: 'Gateways' }).waitFor();

    const cellsA = await rowCells(page, 'Gateways', 'gw-ui-a');
    assert.deepEqual(cellsA.slice(0, 5), ['gw-ui-a', a.address, String(head), '0', 'live']);
    assert.doesNotMatch(cellsA[5]!, /STALE/);
    const cellsB = await rowCells(page, 'Gateways', 'gw-ui-b');
    assert.deepEqual(cellsB.slice(0, 5), ['gw-ui-b', b.address, String(head - 1), '1', 'cache']);
    await page.getByText(`Change log head: ${head}.`).waitFor();

    // A bad version is refused in the form; a good one answers N of M with per-gateway times.
    const version = page.getByLabel('Change version');
    await version.fill('v1');
    await page.getByRole('button', { name: 'Check enforcement' }).click();
    await page.getByText('Enter a change version: a whole number such as 42.').waitFor();
    await version.fill(String(head));
    await page.getByRole('button', { name: 'Check enforcement' }).click();
    await page
      .getByRole('status')
      .getByText(await expectedSummary(head))
      .waitFor();
    const enforcementTable = `Enforcement of change ${head}`;
    const enforcedA = await rowCells(page, enforcementTable, 'gw-ui-a');
    assert.deepEqual(enforcedA.slice(0, 3), ['gw-ui-a', String(head), 'Yes']);
    assert.notEqual(enforcedA[3], '—', 'an enforced gateway shows when it reported the version');
    assert.deepEqual(await rowCells(page, enforcementTable, 'gw-ui-b'), [
      'gw-ui-b',
      String(head - 1),
      'Not yet',
      '—',
    ]);
    await screenshot(page, 'admin-gateways-enforcement');
    const v = await seriousA11yViolations(page);
    assert.deepEqual(v, [], describeViolations(v));

    // gw-ui-b catches up: the page shows it by itself, without a reload.
    b.appliedVersion = head;
    await heartbeat(b);
    const caughtUp = await expectedSummary(head);
    await page.getByRole('status').getByText(caughtUp).waitFor({ timeout: 10_000 });
    assert.equal((await rowCells(page, enforcementTable, 'gw-ui-b'))[2], 'Yes');

    // Hidden: no request for longer than two refresh intervals; visible again: it asks at once.
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/am/admin/v4/gateways')) asked.push(r.url());
    });
    const setVisibility = (state: 'hidden' | 'visible') =>
      page.evaluate(
        `Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${state}' });` +
          `document.dispatchEvent(new Event('visibilitychange'));`,
      );
    await setVisibility('hidden');
    await page.waitForTimeout(300);
    asked.length = 0;
    await page.waitForTimeout(7_000);
    assert.deepEqual(asked, [], 'a hidden page does not poll');
    await setVisibility('visible');
    await page.waitForRequest((r) => r.url().includes('/api/am/admin/v4/gateways'), { timeout: 1_000 });

    // The gateway that beat once goes STALE (30 s of silence) and is marked so; the beating ones are not.
    const silentRow = page
      .getByRole('table', { name: 'Gateways' })
      .getByRole('row')
      .filter({ hasText: 'gw-ui-silent' });
    await silentRow.getByText('STALE').waitFor({ timeout: 45_000 });
    assert.doesNotMatch((await rowCells(page, 'Gateways', 'gw-ui-a'))[5]!, /STALE/);
    await screenshot(page, 'admin-gateways-stale');
    assert.deepEqual(problems, []);
  } finally {
    clearInterval(beating);
  }
});
