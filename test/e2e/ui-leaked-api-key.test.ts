import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  GITHUB_REPORTER,
  leakReportToml,
  reportBody,
  signedHeaders,
} from '../../src/control-plane/leak-reports/test-support/leak-report-fixtures.js';
import {
  describeViolations,
  screenshot,
  seriousA11yViolations,
  startUiPortico,
  type UiPortico,
} from '../support/browser.js';
import { http } from '../support/http.js';

// A key reported by a secret scanner shows as LEAKED, with where it was found, in the Developer Portal.
const github = GITHUB_REPORTER;
let ui: UiPortico;
let page: Page;

before(async () => {
  ui = await startUiPortico({ toml: leakReportToml([github]), signIn: '/devportal/sign-in' });
  page = ui.page;
});

after(async () => {
  await ui?.stop();
});

test('API Key tab: a key revoked by a leak report says LEAKED with the report; the other key does not', async () => {
  const apps = await ui.rest('/api/am/devportal/v3/applications');
  const app = apps.json().list.find((a: { name: string }) => a.name === 'DefaultApplication');
  assert.ok(app, apps.text);
  const generate = async (keyName: string) => {
    const r = await ui.rest(
      `/api/am/devportal/v3/applications/${app.applicationId}/api-keys/PRODUCTION/generate`,
      {
        method: 'POST',
        body: { keyName, validityPeriod: 3600 },
      },
    );
    assert.equal(r.status, 200, r.text);
    return r.json().apikey as string;
  };
  const leakedKey = await generate('pushed-to-github');
  await generate('still-private');
  const body = reportBody([leakedKey]);
  const report = await http(`${ui.urls.controlPlane}/api/portico/v1/leak-reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedHeaders(github, body) },
    body,
  });
  assert.equal(report.status, 200, report.text);
  assert.equal(report.json()[0].label, 'true_positive');

  await page.goto(`${ui.urls.controlPlane}/devportal`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Applications' }).click();
  await page.getByRole('link', { name: 'DefaultApplication', exact: true }).click();
  await page.getByRole('heading', { name: 'DefaultApplication', level: 1 }).waitFor();
  await page.getByRole('tab', { name: 'API Key' }).click();
  const rows = page.getByRole('row');
  const leaked = rows.filter({ hasText: 'pushed-to-github' });
  await leaked.getByText('REVOKED · LEAKED').waitFor();
  await leaked.getByText(/github\.com\/octocat\/hello\/blob\/0123abc\/config-0\.env/).waitFor();
  const fine = rows.filter({ hasText: 'still-private' });
  await fine.getByText('ACTIVE', { exact: true }).waitFor();
  assert.equal(await fine.getByText('LEAKED').count(), 0);
  await screenshot(page, 'devportal-api-key-leaked');
  const v = await seriousA11yViolations(page);
  assert.deepEqual(v, [], describeViolations(v));
  assert.ok(!(await page.content()).includes(leakedKey));
  assert.deepEqual(ui.problems, []);
});
