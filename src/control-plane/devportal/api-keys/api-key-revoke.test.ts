import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness } from '../../../../test/support/control-plane-harness.js';
import { selfSignedKey } from '../../../../test/support/self-signed.js';
import type { fakeClock } from '../../../core/index.js';
import { b64url, b64urlPadded, signCompactJws, x5tOfCert } from '../../../crypto/index.js';
import { devportalApiKeyRoutes } from './index.js';
import {
  DEV,
  decodeKey,
  generateKey,
  insertApplication,
  revoke,
  subscriber,
} from './test-support/api-key-fixtures.js';
import { rawDb } from '../../../../test/support/raw-db.js';

const INVALID = "Provided API Key isn't valid.";

for (const d of await testDialects()) {
  test(`api keys on ${d.name}: revoke with the key (§3.10 checks), idempotent, published to the snapshot`, async () => {
    const h = await createHarness(await d.open(), [devportalApiKeyRoutes]);
    try {
      const alice = await subscriber(h, 'alice');
      const bob = await subscriber(h, 'bob');
      const appA = await insertApplication(h.store, 'alice', 'A');
      const appB = await insertApplication(h.store, 'alice', 'B');
      const appC = await insertApplication(h.store, 'bob', 'C');
      const deltas = h.recordDeltas();

      const expiring = await generateKey(h, alice, appA.uuid, { validityPeriod: 3600 });
      const forever = await generateKey(h, alice, appA.uuid);
      const jtiOf = (k: string) => decodeKey(k).payload.jti as string;
      const revokedRows = () =>
        rawDb(h.store).selectFrom('revoked_tokens').selectAll().orderBy('jti').execute();

      // Refusals: nothing recorded.
      const wrongApp = await revoke(h, alice, appB.uuid, expiring);
      assert.equal(wrongApp.statusCode, 403);
      assert.equal(wrongApp.json().errorCode, 'FORBIDDEN');
      assert.match(wrongApp.json().description as string, new RegExp(appB.uuid));
      const bobsPath = await revoke(h, bob, appC.uuid, expiring);
      assert.equal(bobsPath.statusCode, 403);
      const bobOnA = await revoke(h, bob, appA.uuid, expiring);
      assert.equal(bobOnA.statusCode, 404);
      assert.equal(bobOnA.json().errorCode, 'APPLICATION_NOT_FOUND');
      for (const junk of ['not-a-jwt', 'a.b', 'a.b.c.d', '!!.??.zz', 'eyJ4.eyJ5.c2ln']) {
        const r = await revoke(h, alice, appA.uuid, junk);
        assert.equal(r.statusCode, 400, junk);
        assert.equal(r.json().errorCode, 'INVALID_API_KEY');
        assert.equal(r.json().description, INVALID);
      }
      for (const payload of [{}, { apikey: 42 }, { apikey: '  ' }]) {
        const r = await h.app.inject({
          method: 'POST',
          url: `${DEV}/applications/${appA.uuid}/api-keys/PRODUCTION/revoke`,
          headers: alice,
          payload,
        });
        assert.equal(r.statusCode, 400);
        assert.equal(r.json().errorCode, 'VALIDATION_FAILED');
      }
      const badType = await revoke(h, alice, appA.uuid, expiring, 'foo');
      assert.equal(badType.statusCode, 400);
      assert.equal(badType.json().errorCode, 'INVALID_KEY_TYPE');
      const anonymous = await h.app.inject({
        method: 'POST',
        url: `${DEV}/applications/${appA.uuid}/api-keys/PRODUCTION/revoke`,
        payload: { apikey: expiring },
      });
      assert.equal(anonymous.statusCode, 401);

      // Forged: same kid, another key; tampered payload.
      const impostor = selfSignedKey('gateway_certificate_alias');
      const forged = signCompactJws({
        header: {
          x5t: x5tOfCert(impostor.certificate),
          kid: 'gateway_certificate_alias',
          typ: 'JWT',
          alg: 'RS256',
        },
        payload: { ...decodeKey(expiring).payload },
        privateKey: impostor.privateKey,
        alg: 'RS256',
        padded: true,
      });
      const f = await revoke(h, alice, appA.uuid, forged);
      assert.equal(f.statusCode, 403);
      assert.equal(f.json().errorCode, 'FORBIDDEN');
      const [hs, , ss] = expiring.split('.');
      const otherPayload = JSON.stringify({ ...decodeKey(expiring).payload, jti: 'x' });
      const tampered = await revoke(h, alice, appA.uuid, `${hs}.${b64urlPadded(otherPayload)}.${ss}`);
      assert.equal(tampered.statusCode, 403);
      // A segment spelled otherwise than the rest (unpadded among padded) is not a key at all.
      const misspelled = await revoke(h, alice, appA.uuid, `${hs}.${b64url(otherPayload)}.${ss}`);
      assert.equal(misspelled.statusCode, 400);
      assert.equal(misspelled.json().errorCode, 'INVALID_API_KEY');
      const junk = await revoke(h, alice, appA.uuid, `${expiring}!!!`);
      assert.equal(junk.statusCode, 400, 'junk appended to a real key is not that key');
      // Genuine signature but not an API key of any application.
      const noApp = signCompactJws({
        header: {
          x5t: x5tOfCert(h.primaryKey.certificate),
          kid: 'gateway_certificate_alias',
          typ: 'JWT',
          alg: 'RS256',
        },
        payload: { sub: 'alice@carbon.super', jti: 'no-app' },
        privateKey: h.primaryKey.privateKey,
        alg: 'RS256',
        padded: true,
      });
      const na = await revoke(h, alice, appA.uuid, noApp);
      assert.equal(na.statusCode, 400);
      assert.equal(na.json().errorCode, 'INVALID_API_KEY');
      assert.deepEqual(await revokedRows(), []);
      assert.deepEqual(await deltas.all(), []);

      // Revoke the expiring key; {keyType} is not checked against the key (WSO2).
      const ok = await revoke(h, alice, appA.uuid, expiring, 'sandbox');
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.body, '');
      const exp = decodeKey(expiring).payload.exp as number;
      const rows = await revokedRows();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.jti, jtiOf(expiring));
      assert.equal(rows[0]!.token_type, 'API_KEY');
      assert.equal(rows[0]!.expires_at, exp * 1000);
      const meta = await rawDb(h.store)
        .selectFrom('api_keys')
        .selectAll()
        .where('jti', '=', jtiOf(expiring))
        .executeTakeFirstOrThrow();
      assert.equal(meta.status, 'REVOKED');
      assert.ok(meta.revoked_at !== null);
      const relayed = await deltas.all();
      assert.deepEqual(
        relayed.map(({ kind, key }) => ({ kind, key })),
        [{ kind: 'revocation', key: jtiOf(expiring) }],
      );
      assert.equal((relayed[0] as { exp: number | null }).exp, exp);
      assert.ok(!JSON.stringify(relayed).includes(expiring.split('.')[2]!), 'the key is not in the delta');

      // Idempotent: 200, nothing changes, no new event.
      const again = await revoke(h, alice, appA.uuid, expiring);
      assert.equal(again.statusCode, 200);
      const meta2 = await rawDb(h.store)
        .selectFrom('api_keys')
        .selectAll()
        .where('jti', '=', jtiOf(expiring))
        .executeTakeFirstOrThrow();
      assert.equal(meta2.revoked_at, meta.revoked_at);
      assert.equal((await deltas.all()).length, 1, 'no new change');

      // A never-expiring key stays revoked forever.
      assert.equal((await revoke(h, alice, appA.uuid, forever)).statusCode, 200);
      const forRow = (await revokedRows()).find((r) => r.jti === jtiOf(forever));
      assert.equal(forRow?.expires_at, null);

      const snap = await h.ctx.snapshots.rebuild();
      const revoked = new Map(snap.revokedTokens.map((r) => [r.jti, r.exp]));
      assert.equal(revoked.get(jtiOf(expiring)), exp);
      assert.equal(revoked.get(jtiOf(forever)), null);
    } finally {
      await h.close();
    }
  });

  test(`api keys on ${d.name}: list metadata (never the key) and revoke by keyId`, async () => {
    const h = await createHarness(await d.open(), [devportalApiKeyRoutes], { fakeTime: true });
    try {
      const alice = await subscriber(h, 'alice');
      const bob = await subscriber(h, 'bob');
      const appA = await insertApplication(h.store, 'alice', 'A');
      const appB = await insertApplication(h.store, 'alice', 'B');
      const list = (auth: { authorization: string }, uuid: string) =>
        h.app.inject({ method: 'GET', url: `${DEV}/applications/${uuid}/api-keys`, headers: auth });
      const del = (auth: { authorization: string }, uuid: string, keyType: string, keyId: string) =>
        h.app.inject({
          method: 'DELETE',
          url: `${DEV}/applications/${uuid}/api-keys/${keyType}/${keyId}`,
          headers: auth,
        });

      const empty = await list(alice, appA.uuid);
      assert.equal(empty.statusCode, 200);
      assert.deepEqual(empty.json(), { count: 0, list: [] });

      const k1 = await generateKey(h, alice, appA.uuid, {
        keyName: 'web',
        validityPeriod: 600,
        additionalProperties: { permittedIP: '10.0.0.0/8', permittedReferer: '*.example.com/*' },
      });
      const k2 = await generateKey(h, alice, appA.uuid);
      const k3 = await generateKey(h, alice, appA.uuid, { validityPeriod: 5 });
      const keys = [k1, k2, k3];
      const p = keys.map((k) => decodeKey(k).payload);
      assert.equal((await revoke(h, alice, appA.uuid, k2)).statusCode, 200);

      (h.clock as ReturnType<typeof fakeClock>).advance(6_000);
      const res = await list(alice, appA.uuid);
      assert.equal(res.statusCode, 200);
      for (const k of keys)
        for (const seg of k.split('.').slice(1)) assert.ok(!res.body.includes(seg), 'no key in the list');
      const body = res.json<{ count: number; list: Record<string, unknown>[] }>();
      assert.equal(body.count, 3);
      const byId = new Map(body.list.map((i) => [i.keyId, i]));
      const revokedAt = byId.get(p[1]!.jti);
      assert.deepEqual(byId.get(p[0]!.jti), {
        keyId: p[0]!.jti,
        keyName: 'web',
        keyType: 'PRODUCTION',
        issuedTime: (p[0]!.iat as number) * 1000,
        expiryTime: (p[0]!.exp as number) * 1000,
        validityPeriod: 600,
        permittedIP: '10.0.0.0/8',
        permittedReferer: '*.example.com/*',
        status: 'ACTIVE',
        lastUsedTime: null,
        format: 'jwt',
        graceExpiresAt: null,
        leaked: false,
        leakReports: [],
      });
      assert.deepEqual(revokedAt, {
        keyId: p[1]!.jti,
        keyName: 'API Key 2',
        keyType: 'PRODUCTION',
        issuedTime: (p[1]!.iat as number) * 1000,
        expiryTime: null,
        validityPeriod: -1,
        permittedIP: null,
        permittedReferer: null,
        status: 'REVOKED',
        lastUsedTime: null,
        format: 'jwt',
        graceExpiresAt: null,
        leaked: false,
        leakReports: [],
      });
      assert.equal(byId.get(p[2]!.jti)?.status, 'EXPIRED');
      assert.equal(byId.get(p[2]!.jti)?.validityPeriod, 5);
      const stored = JSON.stringify(await rawDb(h.store).selectFrom('api_keys').selectAll().execute());
      for (const k of keys)
        for (const seg of k.split('.').slice(1)) assert.ok(!stored.includes(seg), 'no key in the store');

      // Another user's application, no credentials.
      assert.equal((await list(bob, appA.uuid)).statusCode, 404);
      assert.equal(
        (await h.app.inject({ method: 'GET', url: `${DEV}/applications/${appA.uuid}/api-keys` })).statusCode,
        401,
      );
      assert.deepEqual((await list(alice, appB.uuid)).json(), { count: 0, list: [] });

      // DELETE by keyId: only this application's key under its key type.
      const jti1 = p[0]!.jti as string;
      for (const [auth, uuid, type, id, status, code] of [
        [alice, appB.uuid, 'PRODUCTION', jti1, 404, 'API_KEY_NOT_FOUND'],
        [alice, appA.uuid, 'SANDBOX', jti1, 404, 'API_KEY_NOT_FOUND'],
        [alice, appA.uuid, 'PRODUCTION', 'no-such-key', 404, 'API_KEY_NOT_FOUND'],
        [alice, appA.uuid, 'foo', jti1, 400, 'INVALID_KEY_TYPE'],
        [bob, appA.uuid, 'PRODUCTION', jti1, 404, 'APPLICATION_NOT_FOUND'],
      ] as const) {
        const r = await del(auth, uuid, type, id);
        assert.equal(r.statusCode, status, `${uuid} ${type} ${id}`);
        assert.equal(r.json().errorCode, code);
      }
      assert.equal(
        (await rawDb(h.store).selectFrom('revoked_tokens').select('jti').where('jti', '=', jti1).execute())
          .length,
        0,
      );
      const gone = await del(alice, appA.uuid, 'production', jti1);
      assert.equal(gone.statusCode, 200, gone.body);
      assert.equal(gone.body, '');
      const row = await rawDb(h.store)
        .selectFrom('revoked_tokens')
        .selectAll()
        .where('jti', '=', jti1)
        .executeTakeFirstOrThrow();
      assert.equal(row.expires_at, (p[0]!.exp as number) * 1000);
      assert.equal(row.token_type, 'API_KEY');
      assert.equal((await del(alice, appA.uuid, 'PRODUCTION', jti1)).statusCode, 200, 'idempotent');
      const after = (await list(alice, appA.uuid)).json<{ list: { keyId: string; status: string }[] }>();
      assert.equal(after.list.find((i) => i.keyId === jti1)?.status, 'REVOKED');
      const snap = await h.ctx.snapshots.rebuild();
      assert.ok(snap.revokedTokens.some((r) => r.jti === jti1));
    } finally {
      await h.close();
    }
  });
}
