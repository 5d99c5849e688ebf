import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness, type Harness } from '../../../../test/support/control-plane-harness.js';
import { dcrConnector, parseDefinition } from '../../../key-manager/external/index.js';
import {
  startOidcProvider,
  type OidcProviderFixture,
} from '../../../key-manager/external/test-support/oidc-provider-fixture.js';
import { RESIDENT_KEY_MANAGER_ID } from '../../devportal/key-managers/key-managers-routes.js';
import { adminAuth, userAuth } from '../../publisher/test-support/publisher-fixtures.js';
import { rawDb } from '../../../../test/support/raw-db.js';
import { ADMIN_KEY_MANAGERS as KM, keyManagerAdminRoutes } from './index.js';
import { SECRET_MASK } from './key-manager-dto.js';

// Connector secrets come back masked and a PUT of the mask keeps them; `POST /{id}/test` checks a live provider
// (the real oidc-provider dressed as Keycloak) and answers 200 with what failed for a dead or silent one.
let kc: OidcProviderFixture;
let silent: net.Server;
const sockets = new Set<net.Socket>();
let silentUrl: string;
let refusedUrl: string;
before(async () => {
  kc = await startOidcProvider('keycloak');
  // Accepts connections and never answers: only the timeout ends a call to it.
  silent = net.createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  refusedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
});
after(async () => {
  await kc.close();
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

function body(over: Record<string, unknown> = {}) {
  return {
    name: 'Keycloak',
    type: 'Keycloak',
    issuer: kc.issuer,
    wellKnownEndpoint: kc.wellKnown,
    clientRegistrationEndpoint: kc.registrationEndpoint,
    tokenEndpoint: kc.tokenEndpoint,
    certificates: { type: 'JWKS', value: kc.jwksUri },
    additionalProperties: { client_id: 'portico', client_secret: 'cs-1', initial_access_token: 'iat-1' },
    ...over,
  };
}

async function storedProps(h: Harness) {
  const row = (await rawDb(h.store).selectFrom('key_managers').selectAll().execute())[0];
  return parseDefinition(row?.definition ?? '')?.additionalProperties;
}

for (const d of await testDialects()) {
  test(`admin key managers on ${d.name}: secrets masked on read back, the mask keeps them, a new value replaces them`, async () => {
    const h = await createHarness(await d.open(), [keyManagerAdminRoutes({})]);
    try {
      const created = await h.app.inject({ method: 'POST', url: KM, headers: adminAuth, payload: body() });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as string;
      const get = await h.app.inject({ method: 'GET', url: `${KM}/${id}`, headers: adminAuth });
      assert.equal(get.statusCode, 200);
      assert.deepEqual(get.json().additionalProperties, {
        client_id: 'portico',
        client_secret: SECRET_MASK,
        initial_access_token: SECRET_MASK,
      });
      for (const r of [created, get]) assert.ok(!r.body.includes('cs-1') && !r.body.includes('iat-1'));

      // The DTO sent back as read: the mask means "keep".
      const same = await h.app.inject({
        method: 'PUT',
        url: `${KM}/${id}`,
        headers: adminAuth,
        payload: get.json(),
      });
      assert.equal(same.statusCode, 200, same.body);
      assert.deepEqual(same.json().additionalProperties, get.json().additionalProperties);
      assert.deepEqual(await storedProps(h), {
        client_id: 'portico',
        client_secret: 'cs-1',
        initial_access_token: 'iat-1',
      });

      // A new value replaces the secret (and is not echoed); the other one kept by its mask.
      const changed = await h.app.inject({
        method: 'PUT',
        url: `${KM}/${id}`,
        headers: adminAuth,
        payload: body({
          additionalProperties: {
            client_id: 'portico',
            client_secret: 'cs-2',
            initial_access_token: SECRET_MASK,
          },
        }),
      });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.ok(!changed.body.includes('cs-2'));
      assert.equal(changed.json().additionalProperties.client_secret, SECRET_MASK);
      assert.deepEqual(await storedProps(h), {
        client_id: 'portico',
        client_secret: 'cs-2',
        initial_access_token: 'iat-1',
      });

      // A mask where nothing is stored is refused, nothing written.
      const bogus = await h.app.inject({
        method: 'PUT',
        url: `${KM}/${id}`,
        headers: adminAuth,
        payload: body({ additionalProperties: { client_id: 'portico', apiKey: SECRET_MASK } }),
      });
      assert.equal(bogus.statusCode, 400, bogus.body);
      assert.equal(bogus.json().errorCode, 'VALIDATION_FAILED');
      assert.equal((await storedProps(h))?.client_secret, 'cs-2');
      const list = await h.app.inject({ method: 'GET', url: KM, headers: adminAuth });
      assert.ok(!list.body.includes('cs-2') && !list.body.includes('iat-1'));
    } finally {
      await h.close();
    }
  });

  test(`admin key managers on ${d.name}: POST /{id}/test against a live provider, a refused port and a silent one`, async () => {
    const h = await createHarness(await d.open(), [keyManagerAdminRoutes({})]);
    try {
      // A real confidential client at the provider, registered the way the connector does.
      const client = await dcrConnector(
        parseDefinition(
          JSON.stringify({
            ...body(),
            additionalProperties: { initial_access_token: kc.initialAccessToken },
          }),
        )!,
      ).registerClient({ name: 'portico-connector', grantTypes: ['client_credentials'], callbackUrl: '' });
      const create = async (name: string, over: Record<string, unknown>) => {
        const res = await h.app.inject({
          method: 'POST',
          url: KM,
          headers: adminAuth,
          payload: body({ name, ...over }),
        });
        assert.equal(res.statusCode, 201, res.body);
        return res.json().id as string;
      };
      const run = async (id: string) => {
        const res = await h.app.inject({ method: 'POST', url: `${KM}/${id}/test`, headers: adminAuth });
        assert.equal(res.statusCode, 200, res.body);
        return res;
      };

      const good = await create('Keycloak', {
        additionalProperties: { client_id: client.clientId, client_secret: client.clientSecret },
      });
      const ok = await run(good);
      assert.deepEqual(ok.json(), {
        id: good,
        name: 'Keycloak',
        ok: true,
        steps: [
          { check: 'discovery', status: 'OK', detail: 'The discovery document names the configured issuer' },
          { check: 'jwks', status: 'OK', detail: 'JWKS: 1 key(s) published' },
          {
            check: 'token',
            status: 'OK',
            detail: 'Token request: the provider issued a client-credentials token',
          },
        ],
      });
      assert.ok(!ok.body.includes(client.clientSecret));

      // Wrong secret: discovery and JWKS work, the token step says the credentials were refused.
      await h.app.inject({
        method: 'PUT',
        url: `${KM}/${good}`,
        headers: adminAuth,
        payload: body({
          additionalProperties: { client_id: client.clientId, client_secret: 'wrong-secret' },
        }),
      });
      const wrong = await run(good);
      assert.equal(wrong.json().ok, false);
      assert.deepEqual(
        wrong.json().steps.map((s: { status: string }) => s.status),
        ['OK', 'OK', 'FAILED'],
      );
      assert.equal(
        wrong.json().steps[2].detail,
        'Token request: the provider rejected the connector client_id/client_secret',
      );
      assert.ok(!wrong.body.includes('wrong-secret'));

      // Nothing listens: every configured step fails fast, the token step is skipped without credentials.
      const refusedHost = new URL(refusedUrl).host;
      const dead = await create('Dead', {
        issuer: `${refusedUrl}/realms/x`,
        wellKnownEndpoint: `${refusedUrl}/realms/x/.well-known/openid-configuration`,
        tokenEndpoint: `${refusedUrl}/token`,
        certificates: { type: 'JWKS', value: `${refusedUrl}/certs` },
        additionalProperties: {},
      });
      assert.deepEqual((await run(dead)).json().steps, [
        { check: 'discovery', status: 'FAILED', detail: `Discovery: ${refusedHost} is unreachable` },
        { check: 'jwks', status: 'FAILED', detail: `JWKS: ${refusedHost} is unreachable` },
        {
          check: 'token',
          status: 'SKIPPED',
          detail: 'No connector client_id and client_secret to request a token with',
        },
      ]);

      // Accepts and never answers: bounded by the check's timeout, still a 200 that says so.
      const silentHost = new URL(silentUrl).host;
      const hung = await create('Silent', {
        issuer: `${silentUrl}/realms/x`,
        wellKnownEndpoint: '',
        tokenEndpoint: `${silentUrl}/token`,
        certificates: { type: 'JWKS', value: `${silentUrl}/certs` },
        additionalProperties: { client_id: 'a', client_secret: 'b' },
      });
      const started = Date.now();
      const slow = await run(hung);
      const took = Date.now() - started;
      assert.ok(took >= 4_000 && took < 9_000, `bounded: took ${took} ms`);
      assert.deepEqual(slow.json(), {
        id: hung,
        name: 'Silent',
        ok: false,
        steps: [
          { check: 'discovery', status: 'SKIPPED', detail: 'No well-known endpoint is configured' },
          { check: 'jwks', status: 'FAILED', detail: `JWKS: ${silentHost} timed out` },
          { check: 'token', status: 'FAILED', detail: `Token request: ${silentHost} timed out` },
        ],
      });

      // Errors and security: unknown id 404, resident 400, anonymous 401, a subscriber 403.
      const missing = await h.app.inject({ method: 'POST', url: `${KM}/nope/test`, headers: adminAuth });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().errorCode, 'KEY_MANAGER_NOT_FOUND');
      const resident = await h.app.inject({
        method: 'POST',
        url: `${KM}/${RESIDENT_KEY_MANAGER_ID}/test`,
        headers: adminAuth,
      });
      assert.equal(resident.statusCode, 400);
      assert.equal(resident.json().errorCode, 'UNSUPPORTED_OPERATION');
      const anon = await h.app.inject({ method: 'POST', url: `${KM}/${good}/test` });
      assert.equal(anon.statusCode, 401);
      const sub = await userAuth(h, 'sub1', ['subscriber']);
      const forbidden = await h.app.inject({ method: 'POST', url: `${KM}/${good}/test`, headers: sub });
      assert.equal(forbidden.statusCode, 403);
    } finally {
      await h.close();
    }
  });
}
