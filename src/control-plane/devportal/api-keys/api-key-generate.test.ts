import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness, type Harness } from '../../../../test/support/control-plane-harness.js';
import { selfSignedKey } from '../../../../test/support/self-signed.js';
import { b64urlDecodeLenient, b64urlPadded, x5tOfCert } from '../../../crypto/index.js';
import { createControlPlane } from '../../index.js';
import { devportalApiKeyRoutes } from './index.js';
import {
  DEV,
  decodeKey,
  generate,
  generateKey,
  insertApi,
  insertApplication,
  insertSubscription,
  revoke,
  subscriber,
} from './test-support/api-key-fixtures.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISSUER = 'https://localhost:9443/oauth2/token';

/** Every segment is Java-style padded base64url, and the signature verifies over the literal segments. */
function assertWso2Encoding(h: Harness, key: string, cert = h.primaryKey.certificate): void {
  const segments = key.split('.');
  assert.equal(segments.length, 3);
  for (const s of segments) {
    const bytes = b64urlDecodeLenient(s);
    assert.ok(bytes, `segment decodes: ${s.slice(0, 20)}`);
    assert.equal(s, b64urlPadded(bytes), 'segment is padded base64url');
    assert.equal(s.length % 4, 0);
  }
  const [hs, ps, ss] = segments as [string, string, string];
  const signature = b64urlDecodeLenient(ss);
  assert.ok(signature);
  assert.ok(
    verify('sha256', Buffer.from(`${hs}.${ps}`, 'ascii'), cert.publicKey, signature),
    'RS256 verifies',
  );
}

async function countKeys(h: Harness): Promise<number> {
  const r = await h.store.db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

for (const d of await testDialects()) {
  test(`api keys on ${d.name}: generate (lightweight), exact WSO2 format, validation and ownership`, async () => {
    const h = await createHarness(await d.open(), [devportalApiKeyRoutes]);
    try {
      const alice = await subscriber(h, 'alice');
      const bob = await subscriber(h, 'bob');
      const app = await insertApplication(h.store, 'alice', 'AliceApp');
      const before = Math.floor(Date.now() / 1000);

      // No body: never expires, generated name.
      const res = await generate(h, alice, app.uuid);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json<{ keyName: string; apikey: string; validityTime: number }>();
      assert.deepEqual(Object.keys(body), ['keyName', 'apikey', 'validityTime']);
      assert.equal(body.keyName, 'API Key 1');
      assert.equal(body.validityTime, -1);
      const key = body.apikey;
      assertWso2Encoding(h, key);
      const headerJson = b64urlDecodeLenient(key.split('.')[0]!)!.toString('utf8');
      assert.equal(
        headerJson,
        `{"x5t":"${x5tOfCert(h.primaryKey.certificate, 'sha1')}","kid":"gateway_certificate_alias","typ":"JWT","alg":"RS256"}`,
      );
      const { payload } = decodeKey(key);
      assert.deepEqual(Object.keys(payload), [
        'sub',
        'jti',
        'iss',
        'iat',
        'application',
        'keytype',
        'token_type',
      ]);
      assert.match(payload.jti as string, UUID);
      assert.ok(
        (payload.iat as number) >= before && (payload.iat as number) <= Math.floor(Date.now() / 1000),
      );
      assert.deepEqual(payload, {
        sub: 'alice@carbon.super',
        jti: payload.jti,
        iss: ISSUER,
        iat: payload.iat,
        application: { id: app.id, uuid: app.uuid },
        keytype: 'PRODUCTION',
        token_type: 'apiKey',
      });
      const row = await h.store.db
        .selectFrom('api_keys')
        .selectAll()
        .where('jti', '=', payload.jti as string)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, {
        jti: payload.jti,
        application_id: app.id,
        key_type: 'PRODUCTION',
        name: 'API Key 1',
        kid: 'gateway_certificate_alias',
        issued_at: (payload.iat as number) * 1000,
        expires_at: null,
        permitted_ip: null,
        permitted_referer: null,
        status: 'ACTIVE',
        revoked_at: null,
        last_used_at: null,
        issued_by: 'alice',
      });
      assert.ok(!JSON.stringify(row).includes(key.split('.')[2]!), 'the key is not stored');

      // Validity, name and restrictions (entries trimmed).
      const res2 = await generate(h, alice, app.uuid, 'SANDBOX', {
        validityPeriod: 3600,
        keyName: ' ci key ',
        additionalProperties: {
          permittedIP: '10.0.0.0/8, 2002:eb8::2,192.168.1.2, 1001:ab8::/14',
          permittedReferer: 'www.example.com/path, *.example.com/*',
        },
      });
      assert.equal(res2.statusCode, 200, res2.body);
      assert.equal(res2.json().keyName, 'ci key');
      assert.equal(res2.json().validityTime, 3600);
      const k2 = decodeKey(res2.json().apikey as string).payload;
      assert.deepEqual(Object.keys(k2), [
        'sub',
        'jti',
        'iss',
        'iat',
        'exp',
        'application',
        'keytype',
        'token_type',
        'permittedIP',
        'permittedReferer',
      ]);
      assert.equal((k2.exp as number) - (k2.iat as number), 3600);
      assert.equal(k2.keytype, 'SANDBOX');
      assert.equal(k2.permittedIP, '10.0.0.0/8,2002:eb8::2,192.168.1.2,1001:ab8::/14');
      assert.equal(k2.permittedReferer, 'www.example.com/path,*.example.com/*');
      const row2 = await h.store.db
        .selectFrom('api_keys')
        .selectAll()
        .where('jti', '=', k2.jti as string)
        .executeTakeFirstOrThrow();
      assert.equal(row2.expires_at, (k2.exp as number) * 1000);
      assert.equal(row2.permitted_ip, k2.permittedIP);
      assert.equal(row2.permitted_referer, k2.permittedReferer);
      assert.equal(row2.key_type, 'SANDBOX');

      // keyType is case-insensitive; anything else is refused.
      const lower = await generate(h, alice, app.uuid, 'production');
      assert.equal(lower.statusCode, 200);
      assert.equal(decodeKey(lower.json().apikey as string).payload.keytype, 'PRODUCTION');
      assert.equal(lower.json().keyName, 'API Key 3');
      const foo = await generate(h, alice, app.uuid, 'foo');
      assert.equal(foo.statusCode, 400);
      assert.equal(foo.json().errorCode, 'INVALID_KEY_TYPE');

      // An empty JSON body counts as no body.
      const empty = await h.app.inject({
        method: 'POST',
        url: `${DEV}/applications/${app.uuid}/api-keys/PRODUCTION/generate`,
        headers: { ...alice, 'content-type': 'application/json' },
        payload: '',
      });
      assert.equal(empty.statusCode, 200, empty.body);
      assert.equal(empty.json().validityTime, -1);
      assert.equal(decodeKey(empty.json().apikey as string).payload.exp, undefined);

      // §2.5: -1 and validities beyond Integer.MAX_VALUE - now never expire; other negatives are born expired.
      for (const [validity, hasExp] of [
        [-1, false],
        [2147483647, false],
        [-5, true],
        [0, true],
      ] as const) {
        const r = await generate(h, alice, app.uuid, 'PRODUCTION', { validityPeriod: validity });
        assert.equal(r.statusCode, 200, r.body);
        assert.equal(r.json().validityTime, validity);
        const p = decodeKey(r.json().apikey as string).payload;
        if (hasExp) assert.equal((p.exp as number) - (p.iat as number), validity);
        else assert.equal('exp' in p, false);
      }

      // A present-but-empty restriction is emitted as "" (WSO2 §2.6): no restriction at the gateway.
      const blank = await generate(h, alice, app.uuid, 'PRODUCTION', {
        additionalProperties: { permittedIP: '' },
      });
      assert.equal(blank.statusCode, 200);
      assert.equal(decodeKey(blank.json().apikey as string).payload.permittedIP, '');

      // Invalid restrictions: 400 naming the entry, nothing issued, nothing stored.
      const stored = await countKeys(h);
      const bad: [Record<string, string>, string][] = [
        [{ permittedIP: '300.1.1.1' }, '300.1.1.1'],
        [{ permittedIP: '10.0.0.1, 10.0.0.0/33' }, '10.0.0.0/33'],
        [{ permittedIP: '1001:ab8::/129' }, '1001:ab8::/129'],
        [{ permittedIP: '10.0.0.1,,10.0.0.2' }, 'empty entry'],
        [{ permittedIP: 'localhost' }, 'localhost'],
        [{ permittedReferer: 'bad referer' }, 'bad referer'],
        [{ permittedReferer: 'www.example.com,' }, 'empty entry'],
      ];
      for (const [props, named] of bad) {
        const r = await generate(h, alice, app.uuid, 'PRODUCTION', { additionalProperties: props });
        assert.equal(r.statusCode, 400, JSON.stringify(props));
        assert.equal(r.json().errorCode, 'INVALID_RESTRICTION');
        assert.ok((r.json().description as string).includes(named), r.json().description as string);
        assert.equal(r.json().apikey, undefined);
      }
      for (const payload of [
        { validityPeriod: '3600' },
        { validityPeriod: 1.5 },
        { validityPeriod: 2147483648 },
        { keyName: 'x'.repeat(101) },
        { keyName: 42 },
        { additionalProperties: { permittedIP: ['10.0.0.1'] } },
        { additionalProperties: 'ip' },
        [1],
      ]) {
        const r = await generate(h, alice, app.uuid, 'PRODUCTION', payload);
        assert.equal(r.statusCode, 400, JSON.stringify(payload));
        assert.equal(r.json().errorCode, 'VALIDATION_FAILED');
      }
      const notJson = await h.app.inject({
        method: 'POST',
        url: `${DEV}/applications/${app.uuid}/api-keys/PRODUCTION/generate`,
        headers: { ...alice, 'content-type': 'application/json' },
        payload: '{"validityPeriod":',
      });
      assert.equal(notJson.statusCode, 400);
      assert.equal(await countKeys(h), stored);

      // Ownership and credentials.
      const other = await generate(h, bob, app.uuid);
      assert.equal(other.statusCode, 404);
      assert.equal(other.json().errorCode, 'APPLICATION_NOT_FOUND');
      const missing = await generate(h, alice, '00000000-0000-4000-8000-000000000000');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().errorCode, 'APPLICATION_NOT_FOUND');
      const anonymous = await h.app.inject({
        method: 'POST',
        url: `${DEV}/applications/${app.uuid}/api-keys/PRODUCTION/generate`,
      });
      assert.equal(anonymous.statusCode, 401);
      await h.ctx.users.create('carol', 'carol-password-1', ['creator']);
      const creator = await generate(
        h,
        { authorization: `Basic ${Buffer.from('carol:carol-password-1').toString('base64')}` },
        app.uuid,
      );
      assert.equal(creator.statusCode, 403);
      assert.equal(creator.json().errorCode, 'INSUFFICIENT_SCOPE');
      assert.equal(await countKeys(h), stored);
    } finally {
      await h.close();
    }
  });

  test(`api keys on ${d.name}: full claim set when lightweight generation is off`, async () => {
    const h = await createHarness(await d.open(), [devportalApiKeyRoutes], {
      toml: '[apim.key_manager]\nenable_lightweight_apikey_generation = false\n',
    });
    try {
      const alice = await subscriber(h, 'alice');
      const app = await insertApplication(h.store, 'alice', 'FullApp');
      const pizza = await insertApi(h.store, {
        name: 'PizzaShackAPI',
        context: '/pizzashack',
        version: '1.0.0',
        provider: 'admin',
      });
      const other = await insertApi(h.store, {
        name: 'Other',
        context: '/other/',
        version: '2.0.0',
        provider: 'pat',
      });
      const rejected = await insertApi(h.store, { name: 'Rejected', context: '/rejected', version: '1.0.0' });
      const held = await insertApi(h.store, { name: 'Held', context: '/held', version: '1.0.0' });
      const t = Date.now();
      await insertSubscription(h.store, app.id, pizza, 'Gold', 'UNBLOCKED', t);
      await insertSubscription(h.store, app.id, other, 'Unlimited', 'BLOCKED', t + 1);
      await insertSubscription(h.store, app.id, rejected, 'Gold', 'REJECTED', t + 2);
      await insertSubscription(h.store, app.id, held, 'Gold', 'ON_HOLD', t + 3);

      const key = await generateKey(h, alice, app.uuid, { validityPeriod: 60 });
      assertWso2Encoding(h, key);
      const { payload } = decodeKey(key);
      assert.deepEqual(payload, {
        sub: 'alice@carbon.super',
        jti: payload.jti,
        iss: ISSUER,
        iat: payload.iat,
        exp: (payload.iat as number) + 60,
        application: { owner: 'alice', tier: '10PerMin', name: 'FullApp', id: app.id, uuid: app.uuid },
        subscribedAPIs: [
          {
            subscriberTenantDomain: 'carbon.super',
            name: 'PizzaShackAPI',
            context: '/pizzashack/1.0.0',
            publisher: 'admin',
            version: '1.0.0',
            subscriptionTier: 'Gold',
          },
          {
            subscriberTenantDomain: 'carbon.super',
            name: 'Other',
            context: '/other/2.0.0',
            publisher: 'pat',
            version: '2.0.0',
            subscriptionTier: 'Unlimited',
          },
        ],
        tierInfo: {
          Gold: {
            stopOnQuotaReach: true,
            spikeArrestLimit: 0,
            spikeArrestUnit: null,
            tierQuotaType: 'requestCount',
          },
          Unlimited: {
            stopOnQuotaReach: true,
            spikeArrestLimit: 0,
            spikeArrestUnit: null,
            tierQuotaType: 'requestCount',
          },
        },
        keytype: 'PRODUCTION',
        token_type: 'apiKey',
      });

      // No subscriptions: empty claims, still the full shape.
      const lonely = await insertApplication(h.store, 'alice', 'Lonely');
      const p2 = decodeKey(await generateKey(h, alice, lonely.uuid)).payload;
      assert.deepEqual(p2.subscribedAPIs, []);
      assert.deepEqual(p2.tierInfo, {});
    } finally {
      await h.close();
    }
  });

  test(`api keys on ${d.name}: a custom API-key signer sets kid and x5t; revocation needs its cert in trust`, async () => {
    const h = await createHarness(await d.open(), [devportalApiKeyRoutes]);
    const signer = selfSignedKey('apikeysigner');
    const cp = await createControlPlane({ ...h.ctx, apiKeySigner: signer }, [devportalApiKeyRoutes]);
    await cp.app.ready();
    const h2 = { ...h, app: cp.app, ctx: { ...h.ctx, apiKeySigner: signer } } as Harness;
    try {
      const alice = await subscriber(h, 'alice');
      const app = await insertApplication(h.store, 'alice', 'Signed');
      const key = await generateKey(h2, alice, app.uuid);
      assertWso2Encoding(h2, key, signer.certificate);
      const { header } = decodeKey(key);
      assert.deepEqual(header, {
        x5t: x5tOfCert(signer.certificate, 'sha1'),
        kid: 'apikeysigner',
        typ: 'JWT',
        alg: 'RS256',
      });
      assert.notEqual(header.x5t, x5tOfCert(h.primaryKey.certificate, 'sha1'));
      const [hs, ps, ss] = key.split('.') as [string, string, string];
      assert.equal(
        verify(
          'sha256',
          Buffer.from(`${hs}.${ps}`),
          h.primaryKey.certificate.publicKey,
          b64urlDecodeLenient(ss)!,
        ),
        false,
      );
      const row = await h.store.db.selectFrom('api_keys').select('kid').executeTakeFirstOrThrow();
      assert.equal(row.kid, 'apikeysigner');

      // Not trusted yet: the revoke endpoint cannot verify the key.
      const refused = await revoke(h2, alice, app.uuid, key);
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().errorCode, 'FORBIDDEN');
      // Trust-store aliases match case-insensitively (Java KeyStore aliases are lower-cased).
      await h.ctx.trust.add('APIKeySigner', signer.certificatePem);
      const ok = await revoke(h2, alice, app.uuid, key);
      assert.equal(ok.statusCode, 200, ok.body);
    } finally {
      await cp.app.close();
      await h.close();
    }
  });
}
