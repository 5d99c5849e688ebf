import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DEV,
  decodeKey,
  subscriber,
} from '../../src/control-plane/devportal/api-keys/test-support/api-key-fixtures.js';
import {
  GITHUB_REPORTER,
  issueKey,
  postReport,
  reportBody,
  signedHeaders,
} from '../../src/control-plane/leak-reports/test-support/leak-report-fixtures.js';
import {
  leakReportHarness,
  MENU,
  subscribedGatewayStack,
} from '../../src/control-plane/leak-reports/test-support/leak-report-harness.js';
import { newOpaqueApiKey, signCompactJws, x5tOfCert } from '../../src/crypto/index.js';
import type { Harness } from '../support/control-plane-harness.js';
import { testDialects } from '../support/dialects.js';
import { rawDb } from '../support/raw-db.js';
import { selfSignedKey } from '../support/self-signed.js';

const github = GITHUB_REPORTER;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A gateway stack with `settle`, alice's application Pizza subscribed to PizzaShack on its upstream, her headers. */
async function setUp(h: Harness) {
  const stack = await subscribedGatewayStack(h);
  return { ...stack, alice: await subscriber(h, 'alice') };
}

const leakRows = (h: Harness) =>
  rawDb(h.store).selectFrom('api_key_leaks').selectAll().orderBy('reported_at').execute();

for (const d of await testDialects()) {
  test(`leak report on ${d.name}: a signed report revokes the reported opaque and JWT keys (gateway 401 within 1 s), labels each token, records the leak for the owner`, async () => {
    const h = await leakReportHarness(await d.open());
    const { s, alice, app, settle } = await setUp(h);
    try {
      const opaque = await issueKey(h, app.id, 'alice', 'opaque');
      const jwt = await issueKey(h, app.id, 'alice', 'jwt');
      const bystander = await issueKey(h, app.id, 'alice', 'opaque');
      for (const k of [opaque, jwt, bystander]) assert.equal((await settle(k.apikey, 200)).status, 200);

      // Not ours: a well-formed opaque key never issued, a JWT signed by another key under our kid, junk.
      const unissued = newOpaqueApiKey('portico');
      const impostor = selfSignedKey('gateway_certificate_alias');
      const forged = signCompactJws({
        header: {
          x5t: x5tOfCert(impostor.certificate),
          kid: 'gateway_certificate_alias',
          typ: 'JWT',
          alg: 'RS256',
        },
        payload: { ...decodeKey(jwt.apikey).payload, jti: 'forged-jti' },
        privateKey: impostor.privateKey,
        alg: 'RS256',
        padded: true,
      });
      // Genuinely signed by Portico's key but not an API key (an access-token-like JWT).
      const notApiKey = signCompactJws({
        header: {
          x5t: x5tOfCert(h.primaryKey.certificate),
          kid: 'gateway_certificate_alias',
          typ: 'JWT',
          alg: 'RS256',
        },
        payload: { sub: 'alice@carbon.super', jti: 'access-token-1', scope: 'default', azp: 'c' },
        privateKey: h.primaryKey.privateKey,
        alg: 'RS256',
        padded: true,
      });
      const tokens = [opaque.apikey, unissued, forged, 'ghp_notPortico', jwt.apikey, notApiKey];
      const body = reportBody(tokens);
      const reportedAt = Date.now();
      const res = await postReport(h, body, signedHeaders(github, body));
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.deepEqual(res.json(), [
        { token_hash: sha256(opaque.apikey), token_type: 'portico_api_key', label: 'true_positive' },
        { token_hash: sha256(unissued), token_type: 'portico_api_key', label: 'false_positive' },
        { token_hash: sha256(forged), token_type: 'portico_api_key', label: 'false_positive' },
        { token_hash: sha256('ghp_notPortico'), token_type: 'portico_api_key', label: 'false_positive' },
        { token_hash: sha256(jwt.apikey), token_type: 'portico_api_key', label: 'true_positive' },
        { token_hash: sha256(notApiKey), token_type: 'portico_api_key', label: 'false_positive' },
      ]);
      for (const t of tokens) assert.ok(!res.body.includes(t), 'the answer never repeats a token');

      // The gateways refuse both reported keys within a second; the other key of the application still works.
      const o = await settle(opaque.apikey, 401);
      assert.equal(o.status, 401);
      assert.ok(o.ms < 1000, `opaque key refused after ${o.ms} ms`);
      const j = await settle(jwt.apikey, 401);
      assert.equal(j.status, 401);
      assert.ok(j.ms < 1000, `JWT key refused after ${j.ms} ms`);
      assert.equal((await s.call(MENU, { apikey: bystander.apikey })).status, 200);
      console.log(`# leak report ${d.name}: opaque key refused after ${o.ms} ms, JWT key after ${j.ms} ms`);

      // One leak row per Portico key: the jti, who, when, where; no column holds any part of a token.
      const rows = await leakRows(h);
      assert.deepEqual(
        rows.map((r) => [
          r.key_jti,
          Number(r.application_id),
          r.reporter_key_id,
          r.token_type,
          r.url,
          r.source,
          r.action,
        ]),
        [
          [
            opaque.jti,
            app.id,
            'github-test-key-1',
            'portico_api_key',
            'https://github.com/octocat/hello/blob/0123abc/config-0.env',
            'content',
            'revoked',
          ],
          [
            jwt.jti,
            app.id,
            'github-test-key-1',
            'portico_api_key',
            'https://github.com/octocat/hello/blob/0123abc/config-4.env',
            'content',
            'revoked',
          ],
        ],
      );
      for (const r of rows) {
        assert.ok(Number(r.reported_at) >= reportedAt && Number(r.reported_at) <= Date.now());
        for (const t of tokens) {
          const secretPart = t.includes('.') ? t.split('.')[2]! : (t.split('_')[1] ?? t);
          for (const [col, v] of Object.entries(r))
            assert.ok(!String(v).includes(secretPart), `${col} holds no token`);
        }
      }
      assert.deepEqual(
        (await rawDb(h.store).selectFrom('revoked_tokens').select('jti').orderBy('jti').execute()).map(
          (r) => r.jti,
        ),
        [opaque.jti, jwt.jti].sort(),
      );

      // The owner sees the leak in both key lists.
      const list = await h.app.inject({
        method: 'GET',
        url: `${DEV}/applications/${app.uuid}/api-keys/PRODUCTION`,
        headers: alice,
      });
      assert.equal(list.statusCode, 200);
      const byId = new Map(list.json<{ list: Record<string, unknown>[] }>().list.map((k) => [k.keyUUID, k]));
      assert.equal(byId.get(opaque.jti)?.state, 'REVOKED');
      assert.equal(byId.get(opaque.jti)?.leaked, true);
      assert.deepEqual(byId.get(opaque.jti)?.leakReports, [
        {
          reportedAt: Number(rows[0]!.reported_at),
          url: 'https://github.com/octocat/hello/blob/0123abc/config-0.env',
          source: 'content',
          reportedBy: 'github-test-key-1',
          action: 'revoked',
        },
      ]);
      assert.equal(byId.get(jwt.jti)?.leaked, true);
      assert.equal(byId.get(bystander.jti)?.leaked, false);
      assert.deepEqual(byId.get(bystander.jti)?.leakReports, []);
      const all = await h.app.inject({
        method: 'GET',
        url: `${DEV}/applications/${app.uuid}/api-keys`,
        headers: alice,
      });
      const allById = new Map(all.json<{ list: Record<string, unknown>[] }>().list.map((k) => [k.keyId, k]));
      assert.equal(allById.get(jwt.jti)?.leaked, true);
      assert.equal(allById.get(jwt.jti)?.status, 'REVOKED');

      // Reported again: still true_positive (GitHub re-sends), recorded again, revocation idempotent.
      const again = reportBody([opaque.apikey]);
      const r2 = await postReport(h, again, signedHeaders(github, again));
      assert.equal(r2.statusCode, 200);
      assert.equal(r2.json()[0].label, 'true_positive');
      assert.equal((await leakRows(h)).length, 3);
    } finally {
      await s.close();
      await h.close();
    }
  });

  test(`leak report on ${d.name}: action = "mark" records the leak and leaves the key working; feedback_token = "raw" echoes tokens`, async () => {
    const h = await leakReportHarness(await d.open(), { extra: 'action = "mark"\nfeedback_token = "raw"' });
    const { s, alice, app, settle } = await setUp(h);
    try {
      const key = await issueKey(h, app.id, 'alice', 'opaque');
      assert.equal((await settle(key.apikey, 200)).status, 200);
      const body = JSON.stringify([
        { token: key.apikey, type: 'portico_api_key', url: 'https://example.com/x' },
      ]);
      const res = await postReport(h, body, signedHeaders(github, body));
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), [
        { token_raw: key.apikey, token_type: 'portico_api_key', label: 'true_positive' },
      ]);
      await sleep(300);
      assert.equal((await s.call(MENU, { apikey: key.apikey })).status, 200, 'marked, not revoked');
      assert.deepEqual(await rawDb(h.store).selectFrom('revoked_tokens').selectAll().execute(), []);
      const list = await h.app.inject({
        method: 'GET',
        url: `${DEV}/applications/${app.uuid}/api-keys/PRODUCTION`,
        headers: alice,
      });
      const item = list.json<{ list: Record<string, unknown>[] }>().list[0]!;
      assert.equal(item.state, 'ACTIVE');
      assert.equal(item.leaked, true);
      assert.deepEqual(
        (item.leakReports as Record<string, unknown>[]).map((r) => [r.url, r.source, r.action]),
        [['https://example.com/x', '', 'marked']],
      );
    } finally {
      await s.close();
      await h.close();
    }
  });
}
