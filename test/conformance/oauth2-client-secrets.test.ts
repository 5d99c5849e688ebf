import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { fakeClock } from '../../src/core/index.js';
import { testDialects } from '../support/dialects.js';
import { rawDb } from '../support/raw-db.js';
import type { Harness } from '../support/control-plane-harness.js';
import { devportalSchemaCheck } from './devportal-openapi-schema.js';
import {
  createApp,
  DP,
  dpPost,
  form,
  generateKeys,
  jwtPart,
  kmHarness,
  userAuth,
  type GeneratedKeys,
} from './oauth2-fixtures.js';

const TOKEN = '/oauth2/token';
const check = devportalSchemaCheck();

async function token(h: Harness, id: string, secret: string) {
  return form(h, TOKEN, { grant_type: 'client_credentials' }, { id, secret });
}

async function assertRefused(h: Harness, id: string, secret: string, why: string) {
  const res = await token(h, id, secret);
  assert.equal(res.statusCode, 401, `${why}: ${res.body}`);
  assert.deepEqual(res.json(), {
    error: 'invalid_client',
    error_description: 'Client authentication failed',
  });
}

async function secretList(h: Harness, auth: string, keyPath: string) {
  const res = await h.app.inject({
    method: 'GET',
    url: `${DP}${keyPath}/secrets`,
    headers: { authorization: auth },
  });
  assert.equal(res.statusCode, 200, res.body);
  check('ConsumerSecretList', res.json());
  return res;
}

/** A SQLite control plane (`opts` as kmHarness's) with user kim's application keys (client_credentials). */
async function withKey(
  opts: { toml?: string; fakeTime?: boolean },
  appName: string,
  fn: (k: { h: Harness; kim: string; keys: GeneratedKeys; keyPath: string }) => Promise<void>,
) {
  const [d] = await testDialects();
  assert.ok(d);
  const h = await kmHarness(await d.open(), opts);
  try {
    const kim = await userAuth(h, 'kim', ['subscriber']);
    const appId = await createApp(h, kim, appName);
    const keys = await generateKeys(h, kim, appId, { grantTypesToBeSupported: ['client_credentials'] });
    await fn({ h, kim, keys, keyPath: `/applications/${appId}/oauth-keys/${keys.keyMappingId}` });
  } finally {
    await h.close();
  }
}

for (const d of await testDialects()) {
  test(`two client secrets mint tokens for the same sub; a revoked one is invalid_client, the other still works (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const kim = await userAuth(h, 'kim', ['subscriber']);
      const appId = await createApp(h, kim, 'TwoSecrets');
      const keys = await generateKeys(h, kim, appId, { grantTypesToBeSupported: ['client_credentials'] });
      const keyPath = `/applications/${appId}/oauth-keys/${keys.keyMappingId}`;

      const created = await dpPost(h, kim, `${keyPath}/generate-secret`, {
        additionalProperties: { description: 'pizza application secret' },
      });
      assert.equal(created.statusCode, 201, created.body);
      check('ConsumerSecret', created.json());
      const second = created.json();
      assert.equal(created.headers.location, `${DP}${keyPath}/secrets`);
      assert.match(second.secretValue, /^[A-Za-z0-9_]{27}a$/);
      assert.notEqual(second.secretValue, keys.consumerSecret);
      assert.deepEqual(second.additionalProperties, {
        description: 'pizza application secret',
        createdTime: second.additionalProperties.createdTime,
        expiresAt: null,
        state: 'ACTIVE',
      });

      const a = await token(h, keys.consumerKey, keys.consumerSecret);
      const b = await token(h, keys.consumerKey, second.secretValue);
      assert.equal(a.statusCode, 200, a.body);
      assert.equal(b.statusCode, 200, b.body);
      const subA = jwtPart(a.json().access_token, 1).sub;
      assert.equal(jwtPart(b.json().access_token, 1).sub, subA);
      assert.equal(jwtPart(b.json().access_token, 1).azp, keys.consumerKey);

      // Masked list: ids, descriptions, times; never a secret.
      const list = await secretList(h, kim, keyPath);
      assert.equal(list.json().count, 2);
      assert.doesNotMatch(list.body, new RegExp(`${keys.consumerSecret}|${second.secretValue}`));
      const [first, other] = list.json().list;
      assert.equal(first.secretValue, `****${keys.consumerSecret.slice(-4)}`);
      assert.equal(other.secretId, second.secretId);
      assert.equal(other.additionalProperties.description, 'pizza application secret');

      // Stored: hashes and hints only.
      const rows = await rawDb(h.store).selectFrom('oauth_client_secrets').selectAll().execute();
      assert.equal(rows.length, 2);
      assert.doesNotMatch(JSON.stringify(rows), new RegExp(`${keys.consumerSecret}|${second.secretValue}`));

      const revoked = await dpPost(h, kim, `${keyPath}/revoke-secret`, { secretId: first.secretId });
      assert.equal(revoked.statusCode, 204, revoked.body);
      assert.equal(revoked.body, '');
      await assertRefused(h, keys.consumerKey, keys.consumerSecret, 'revoked secret');
      assert.equal((await token(h, keys.consumerKey, second.secretValue)).statusCode, 200);
      assert.equal((await secretList(h, kim, keyPath)).json().count, 1);

      const again = await dpPost(h, kim, `${keyPath}/revoke-secret`, { secretId: first.secretId });
      assert.equal(again.statusCode, 404);
      assert.equal(again.json().errorCode, 'CLIENT_SECRET_NOT_FOUND');

      // Another user's key: 404 on every operation, nothing changes.
      const eve = await userAuth(h, 'eve', ['subscriber']);
      for (const [path, body] of [
        [`${keyPath}/generate-secret`, {}],
        [`${keyPath}/revoke-secret`, { secretId: second.secretId }],
      ] as const) {
        const res = await dpPost(h, eve, path, body);
        assert.equal(res.statusCode, 404, `${path}: ${res.body}`);
        assert.equal(res.json().errorCode, 'APPLICATION_NOT_FOUND');
      }
      const eveList = await h.app.inject({
        method: 'GET',
        url: `${DP}${keyPath}/secrets`,
        headers: { authorization: eve },
      });
      assert.equal(eveList.statusCode, 404);
      const none = await h.app.inject({ method: 'GET', url: `${DP}${keyPath}/secrets` });
      assert.equal(none.statusCode, 401);
      assert.equal((await token(h, keys.consumerKey, second.secretValue)).statusCode, 200);
    } finally {
      await h.close();
    }
  });
}

test('an expired client secret is refused with 401 invalid_client (fake clock)', () =>
  withKey({ fakeTime: true }, 'Expiring', async ({ h, kim, keys, keyPath }) => {
    const clock = h.clock as ReturnType<typeof fakeClock>;
    const res = await dpPost(h, kim, `${keyPath}/generate-secret`, {
      additionalProperties: { description: 'one minute', expiresIn: '60' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const s = res.json();
    assert.equal(s.additionalProperties.expiresAt, Math.floor(clock.now() / 1000) + 60);
    assert.equal((await token(h, keys.consumerKey, s.secretValue)).statusCode, 200);
    clock.advance(59_000);
    assert.equal((await token(h, keys.consumerKey, s.secretValue)).statusCode, 200);
    clock.advance(1_000);
    await assertRefused(h, keys.consumerKey, s.secretValue, 'expired secret');
    assert.equal((await token(h, keys.consumerKey, keys.consumerSecret)).statusCode, 200, 'the other secret');
    const listed = (await secretList(h, kim, keyPath)).json().list;
    assert.deepEqual(
      // The fake clock gives both secrets the same createdTime, so their order is not defined: sort.
      listed.map((x: { additionalProperties: { state: string } }) => x.additionalProperties.state).sort(),
      ['ACTIVE', 'EXPIRED'],
    );
  }));

test('regenerate-secret with a grace period: old and new both work during the grace, the old is refused after it', () =>
  withKey({ fakeTime: true }, 'Rotating', async ({ h, kim, keys, keyPath }) => {
    const clock = h.clock as ReturnType<typeof fakeClock>;

    const res = await dpPost(h, kim, `${keyPath}/regenerate-secret`, { gracePeriod: 60 });
    assert.equal(res.statusCode, 200, res.body);
    check('ApplicationKeyReGenerateResponse', res.json());
    const graceEnd = Math.floor(clock.now() / 1000) + 60;
    assert.deepEqual(res.json(), {
      consumerKey: keys.consumerKey,
      consumerSecret: res.json().consumerSecret,
      graceExpiresAt: graceEnd,
    });
    const fresh = res.json().consumerSecret as string;
    assert.equal((await token(h, keys.consumerKey, keys.consumerSecret)).statusCode, 200, 'old in grace');
    assert.equal((await token(h, keys.consumerKey, fresh)).statusCode, 200, 'new');
    const during = (await secretList(h, kim, keyPath)).json().list;
    assert.deepEqual(
      during
        .map((x: { additionalProperties: Record<string, unknown> }) => [
          x.additionalProperties.state,
          x.additionalProperties.graceExpiresAt,
        ])
        .sort(),
      [
        ['ACTIVE', undefined],
        ['ROTATING', graceEnd],
      ],
    );

    clock.advance(60_000);
    await assertRefused(h, keys.consumerKey, keys.consumerSecret, 'old after grace');
    assert.equal((await token(h, keys.consumerKey, fresh)).statusCode, 200);
    assert.equal((await secretList(h, kim, keyPath)).json().count, 1);

    // Without a grace the old secret is refused at once.
    const now = await dpPost(h, kim, `${keyPath}/regenerate-secret`, {});
    assert.equal(now.statusCode, 200);
    assert.deepEqual(Object.keys(now.json()), ['consumerKey', 'consumerSecret']);
    await assertRefused(h, keys.consumerKey, fresh, 'replaced without grace');
    assert.equal((await token(h, keys.consumerKey, now.json().consumerSecret)).statusCode, 200);

    for (const gracePeriod of [-1, 1.5, '60', 604801]) {
      const bad = await dpPost(h, kim, `${keyPath}/regenerate-secret`, { gracePeriod });
      assert.equal(bad.statusCode, 400, `${gracePeriod}: ${bad.body}`);
      assert.equal(bad.json().errorCode, 'VALIDATION_FAILED');
    }
    assert.equal(
      (await token(h, keys.consumerKey, now.json().consumerSecret)).statusCode,
      200,
      'nothing changed',
    );
  }));

test('secret_count caps active secrets; bad generate-secret bodies are 400 and write nothing', () =>
  withKey(
    { toml: '[oauth.client_secrets]\nsecret_count = 2\nmax_expires_in = 3600\n' },
    'Capped',
    async ({ h, kim, keyPath }) => {
      for (const body of [
        { additionalProperties: { expiresIn: -1 } },
        { additionalProperties: { expiresIn: 0 } },
        { additionalProperties: { expiresIn: 3601 } },
        { additionalProperties: { color: 'red' } },
        { additionalProperties: { description: 7 } },
        { secret: 'chosen-by-me' },
      ]) {
        const bad = await dpPost(h, kim, `${keyPath}/generate-secret`, body);
        assert.equal(bad.statusCode, 400, `${JSON.stringify(body)}: ${bad.body}`);
        assert.equal(bad.json().errorCode, 'VALIDATION_FAILED');
      }
      assert.equal((await secretList(h, kim, keyPath)).json().count, 1);
      assert.equal((await dpPost(h, kim, `${keyPath}/generate-secret`, {})).statusCode, 201);
      const over = await dpPost(h, kim, `${keyPath}/generate-secret`, {});
      assert.equal(over.statusCode, 400);
      assert.equal(over.json().errorCode, 'CLIENT_SECRET_LIMIT_REACHED');
      assert.equal((await secretList(h, kim, keyPath)).json().count, 2);
      const missing = await dpPost(h, kim, `${keyPath}/revoke-secret`, {});
      assert.equal(missing.statusCode, 400);
    },
  ));

test('with multiple secrets off, generate-secret is refused and regenerate-secret still works', () =>
  withKey(
    { toml: '[oauth.client_secrets]\nenable_multiple_secrets = false\n' },
    'Single',
    async ({ h, kim, keys, keyPath }) => {
      const off = await dpPost(h, kim, `${keyPath}/generate-secret`, {});
      assert.equal(off.statusCode, 400);
      assert.equal(off.json().errorCode, 'UNSUPPORTED_OPERATION');
      const regen = await h.app.inject({
        method: 'POST',
        url: `${DP}${keyPath}/regenerate-secret`,
        headers: { authorization: kim },
      });
      assert.equal(regen.statusCode, 200, regen.body);
      await assertRefused(h, keys.consumerKey, keys.consumerSecret, 'old');
      assert.equal((await token(h, keys.consumerKey, regen.json().consumerSecret)).statusCode, 200);
    },
  ));
