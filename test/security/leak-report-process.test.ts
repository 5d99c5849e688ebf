import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import {
  GITHUB_REPORTER,
  leakReportToml,
  reportBody,
  signBody,
  signedHeaders,
} from '../../src/control-plane/leak-reports/test-support/leak-report-fixtures.js';
import { http } from '../support/http.js';
import { MENU, startAttackTarget, type AttackTarget } from './support/attack-target.js';

const github = GITHUB_REPORTER;
const PATH = '/api/portico/v1/leak-reports';

describe('leak reports against a real `portico start` (deployment.toml keys, HTTPS control plane, real gateway)', () => {
  let t: AttackTarget;
  let spare: string;
  before(async () => {
    t = await startAttackTarget({
      toml: `[apim.devportal]\napi_key_format = "opaque"\n${leakReportToml([github])}`,
    });
    spare = await t.generateApiKey();
  });
  after(() => t.stop());

  const post = (body: string, headers: Record<string, string>) =>
    http(`${t.cp}${PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('refuses unsigned and wrongly signed reports with 401 and revokes nothing', async () => {
    const body = reportBody([t.apiKey]);
    const attempts: Record<string, string>[] = [
      {},
      { 'github-public-key-identifier': github.id, 'github-public-key-signature': signBody(github, '[]') },
      { 'github-public-key-identifier': 'other', 'github-public-key-signature': signBody(github, body) },
      { authorization: `Bearer ${t.accessToken}` },
    ];
    for (const headers of attempts) {
      const r = await post(body, headers);
      assert.equal(r.status, 401, r.text);
      assert.equal(r.json().errorCode, 'LEAK_REPORT_UNAUTHENTICATED');
    }
    await sleep(300);
    assert.equal((await t.call(MENU, { apikey: t.apiKey })).status, 200);
  });

  it('a signed report revokes the reported key (gateway 401 within 1 s), labels it, and its owner sees it', async () => {
    const body = reportBody([t.apiKey, 'portico_notAKey']);
    const r = await post(body, signedHeaders(github, body));
    assert.equal(r.status, 200, r.text);
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    assert.deepEqual(r.json(), [
      { token_hash: sha(t.apiKey), token_type: 'portico_api_key', label: 'true_positive' },
      { token_hash: sha('portico_notAKey'), token_type: 'portico_api_key', label: 'false_positive' },
    ]);
    const started = Date.now();
    let status = 0;
    while (Date.now() - started < 2000) {
      status = (await t.call(MENU, { apikey: t.apiKey })).status;
      if (status === 401) break;
      await sleep(10);
    }
    const ms = Date.now() - started;
    console.log(`# leak report (portico start): reported key refused at the gateway after ${ms} ms`);
    assert.equal(status, 401);
    assert.ok(ms < 1000, `refused after ${ms} ms`);
    assert.equal((await t.call(MENU, { apikey: spare })).status, 200, 'the other key still works');

    const apps = await t.rest('GET', '/api/am/devportal/v3/applications');
    const app = apps.json().list.find((a: { name: string }) => a.name === 'DefaultApplication').applicationId;
    const list = await t.rest('GET', `/api/am/devportal/v3/applications/${app}/api-keys/PRODUCTION`);
    const leaked = list.json().list.filter((k: { leaked: boolean }) => k.leaked);
    assert.equal(leaked.length, 1);
    assert.equal(leaked[0].state, 'REVOKED');
    assert.equal(leaked[0].leakReports[0].reportedBy, github.id);
    assert.ok(!list.text.includes(t.apiKey));
  });
});
