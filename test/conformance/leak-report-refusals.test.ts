import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leakReportRoutes } from '../../src/control-plane/leak-reports/index.js';
import {
  GITHUB_REPORTER,
  postReport,
  reportBody,
  signedHeaders,
} from '../../src/control-plane/leak-reports/test-support/leak-report-fixtures.js';
import {
  applicationWithKey,
  leakReportHarness,
} from '../../src/control-plane/leak-reports/test-support/leak-report-harness.js';
import { createHarness, type Harness } from '../support/control-plane-harness.js';
import { testDialects } from '../support/dialects.js';
import { rawDb } from '../support/raw-db.js';

const github = GITHUB_REPORTER;
const leakRows = (h: Harness) => rawDb(h.store).selectFrom('api_key_leaks').selectAll().execute();

for (const d of await testDialects()) {
  test(`leak report on ${d.name}: malformed bodies are 400, oversized 413, other media 415, disabled 404 — nothing recorded`, async () => {
    const h = await leakReportHarness(await d.open(), { extra: 'max_body_bytes = 2048' });
    try {
      const { key } = await applicationWithKey(h);
      await h.recordDeltas().all(); // the issued key's own delta is relayed before recording starts
      const deltas = h.recordDeltas();
      const malformed = [
        '',
        'not json',
        '{"token":"x"}',
        '[]',
        '"portico_x"',
        'null',
        '[1]',
        '[{"type":"t"}]',
        `[{"token":"${key.apikey}"}]`,
        `[{"token":"","type":"t"}]`,
        `[{"token":42,"type":"t"}]`,
        `[{"token":"${key.apikey}","type":"t","url":7}]`,
        `[{"token":"a\\u0000b","type":"t"}]`,
        '[{"token":"x","type":"t","__proto__":{"admin":true}}]',
        `[${'['.repeat(100)}${']'.repeat(100)}]`,
        `[{"token":"${key.apikey}","type":"t"}`,
      ];
      for (const body of malformed) {
        const res = await postReport(h, body, signedHeaders(github, body));
        assert.equal(res.statusCode, 400, `${body.slice(0, 60)} → ${res.statusCode} ${res.body}`);
        assert.match(res.json().errorCode as string, /^(VALIDATION_FAILED|BAD_REQUEST)$/, body.slice(0, 60));
      }
      const big = reportBody(Array.from({ length: 40 }, () => key.apikey));
      assert.ok(Buffer.byteLength(big) > 2048);
      const tooLarge = await postReport(h, big, signedHeaders(github, big));
      assert.equal(tooLarge.statusCode, 413);
      assert.equal(tooLarge.json().errorCode, 'PAYLOAD_TOO_LARGE');
      const form = await h.app.inject({
        method: 'POST',
        url: '/api/portico/v1/leak-reports',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...signedHeaders(github, 'a=b') },
        payload: 'a=b',
      });
      assert.equal(form.statusCode, 415);
      assert.deepEqual(await leakRows(h), []);
      assert.deepEqual(await rawDb(h.store).selectFrom('revoked_tokens').selectAll().execute(), []);
      assert.deepEqual(await deltas.all(), []);
    } finally {
      await h.close();
    }
    const off = await createHarness(await d.open(), [leakReportRoutes]);
    try {
      const body = reportBody(['portico_x']);
      const res = await postReport(off, body, signedHeaders(github, body));
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().errorCode, 'LEAK_REPORTS_DISABLED');
    } finally {
      await off.close();
    }
  });
}
