import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness, type Harness } from '../../../../test/support/control-plane-harness.js';
import type { PorticoEvent } from '../../../core/index.js';
import { createJwksRefresher, parseDefinition } from '../../../key-manager/external/index.js';
import {
  startOidcProvider,
  type OidcProviderFixture,
} from '../../../key-manager/external/test-support/oidc-provider-fixture.js';
import { RESIDENT_KEY_MANAGER_ID } from '../../devportal/key-managers/key-managers-routes.js';
import { adminAuth, userAuth } from '../../publisher/test-support/publisher-fixtures.js';
import { ADMIN_KEY_MANAGERS as KM, keyManagerAdminRoutes, type KeyManagerRoutesOptions } from './index.js';
import { SECRET_MASK } from './key-manager-dto.js';
import { rawDb } from '../../../../test/support/raw-db.js';
import { applicationsRepository } from '../../../store/index.js';

let kc: OidcProviderFixture;
let okta: OidcProviderFixture;
before(async () => {
  kc = await startOidcProvider('keycloak');
  okta = await startOidcProvider('okta');
});
after(async () => {
  await kc.close();
  await okta.close();
});

function keycloakBody(over: Record<string, unknown> = {}) {
  return {
    name: 'Keycloak',
    type: 'Keycloak',
    displayName: 'Keycloak IdP',
    description: 'Realm portico',
    issuer: kc.issuer,
    clientRegistrationEndpoint: kc.registrationEndpoint,
    tokenEndpoint: kc.tokenEndpoint,
    certificates: { type: 'JWKS', value: kc.jwksUri },
    additionalProperties: { client_id: 'portico', client_secret: 'cs-1', initial_access_token: 'iat-1' },
    availableGrantTypes: ['client_credentials'],
    ...over,
  };
}

async function rows(h: Harness) {
  return rawDb(h.store).selectFrom('key_managers').selectAll().execute();
}

for (const d of await testDialects()) {
  test(`admin key managers on ${d.name}: discover, CRUD, secrets never returned, events, health`, async () => {
    const opts: KeyManagerRoutesOptions = {};
    const h = await createHarness(await d.open(), [keyManagerAdminRoutes(opts)]);
    const refresher = createJwksRefresher({
      store: h.store,
      bus: h.bus,
      clock: h.clock,
      logger: pino({ level: 'silent' }),
    });
    opts.refresher = refresher;
    const events: PorticoEvent[] = [];
    h.bus.subscribe((e) => events.push(e));
    try {
      // Discover (Import): mapped, nothing saved.
      const disc = await h.app.inject({
        method: 'POST',
        url: `${KM}/discover`,
        headers: adminAuth,
        payload: { url: okta.wellKnown, type: 'Okta' },
      });
      assert.equal(disc.statusCode, 200, disc.body);
      const v = disc.json().value;
      assert.equal(disc.json().valid, true);
      assert.equal(v.issuer, okta.issuer);
      assert.equal(v.type, 'Okta');
      assert.equal(v.wellKnownEndpoint, okta.wellKnown);
      assert.equal(v.clientRegistrationEndpoint, `${okta.origin}/oauth2/v1/clients`);
      assert.equal(v.tokenEndpoint, okta.tokenEndpoint);
      assert.deepEqual(v.certificates, { type: 'JWKS', value: okta.jwksUri });
      assert.equal(v.consumerKeyClaim, 'cid');
      assert.equal(v.scopesClaim, 'scp');
      assert.equal((await rows(h)).length, 0);
      const down = await h.app.inject({
        method: 'POST',
        url: `${KM}/discover`,
        headers: adminAuth,
        payload: { url: 'http://127.0.0.1:9/.well-known/openid-configuration', type: 'OIDC' },
      });
      assert.equal(down.statusCode, 502);
      assert.equal(down.json().errorCode, 'BAD_GATEWAY');
      const badUrl = await h.app.inject({
        method: 'POST',
        url: `${KM}/discover`,
        headers: adminAuth,
        payload: { url: 'file:///etc/passwd', type: 'OIDC' },
      });
      assert.equal(badUrl.statusCode, 400);
      assert.equal(badUrl.json().errorCode, 'VALIDATION_FAILED');

      // Create: 201, exact shape, secrets stored but returned masked.
      const created = await h.app.inject({
        method: 'POST',
        url: KM,
        headers: adminAuth,
        payload: keycloakBody(),
      });
      assert.equal(created.statusCode, 201, created.body);
      const km = created.json();
      assert.equal(created.headers.location, `${KM}/${km.id}`);
      assert.deepEqual(km, {
        id: km.id,
        name: 'Keycloak',
        displayName: 'Keycloak IdP',
        type: 'Keycloak',
        description: 'Realm portico',
        enabled: true,
        issuer: kc.issuer,
        wellKnownEndpoint: '',
        clientRegistrationEndpoint: kc.registrationEndpoint,
        introspectionEndpoint: '',
        tokenEndpoint: kc.tokenEndpoint,
        revokeEndpoint: '',
        userInfoEndpoint: '',
        authorizeEndpoint: '',
        certificates: { type: 'JWKS', value: kc.jwksUri },
        additionalProperties: {
          client_id: 'portico',
          client_secret: SECRET_MASK,
          initial_access_token: SECRET_MASK,
        },
        claimMapping: [],
        consumerKeyClaim: 'azp',
        scopesClaim: 'scope',
        availableGrantTypes: ['client_credentials'],
        tokenValidationMethod: 'jwks',
        enableSelfValidationJWT: true,
        enableTokenGeneration: true,
        enableOAuthAppCreation: true,
        enableMapOAuthConsumerApps: true,
        permissions: { permissionType: 'PUBLIC', roles: [] },
        tokenType: 'DIRECT',
        alias: '',
        global: false,
        tokenValidation: [],
      });
      assert.ok(!created.body.includes('cs-1') && !created.body.includes('iat-1'));
      const stored = parseDefinition((await rows(h))[0]?.definition ?? '');
      assert.deepEqual(stored?.additionalProperties, {
        client_id: 'portico',
        client_secret: 'cs-1',
        initial_access_token: 'iat-1',
      });
      assert.deepEqual(
        events.map((e) => [e.type, e.payload]),
        [['keymanager.changed', { keyManagerId: km.id, name: 'Keycloak', action: 'created' }]],
      );

      const list = await h.app.inject({ method: 'GET', url: KM, headers: adminAuth });
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json(), {
        count: 2,
        list: [
          {
            id: RESIDENT_KEY_MANAGER_ID,
            name: 'Resident Key Manager',
            displayName: 'Resident Key Manager',
            type: 'default',
            description: 'This is Resident Key Manager',
            enabled: true,
          },
          {
            id: km.id,
            name: 'Keycloak',
            displayName: 'Keycloak IdP',
            type: 'Keycloak',
            description: 'Realm portico',
            enabled: true,
          },
        ],
      });
      const one = await h.app.inject({ method: 'GET', url: `${KM}/${km.id}`, headers: adminAuth });
      assert.deepEqual(one.json(), km);
      const resident = await h.app.inject({
        method: 'GET',
        url: `${KM}/${RESIDENT_KEY_MANAGER_ID}`,
        headers: adminAuth,
      });
      assert.equal(resident.json().issuer, 'https://localhost:9443/oauth2/token');

      // Health: the refresher picked up the new manager from the event.
      await refresher.settled();
      const health = await h.app.inject({ method: 'GET', url: `${KM}/${km.id}/health`, headers: adminAuth });
      assert.equal(health.statusCode, 200);
      const hb = health.json();
      assert.deepEqual(
        { ...hb, lastRefreshAt: typeof hb.lastRefreshAt, lastAttemptAt: typeof hb.lastAttemptAt },
        {
          id: km.id,
          name: 'Keycloak',
          status: 'OK',
          jwksUri: kc.jwksUri,
          lastRefreshAt: 'number',
          lastAttemptAt: 'number',
          error: null,
          consecutiveFailures: 0,
          keyIds: kc.kids(),
        },
      );

      // PUT: omitted secrets are kept, an empty one is removed; the name is fixed.
      const put = await h.app.inject({
        method: 'PUT',
        url: `${KM}/${km.id}`,
        headers: adminAuth,
        payload: keycloakBody({
          description: 'changed',
          additionalProperties: { client_id: 'portico2', initial_access_token: '' },
          permissions: { permissionType: 'ALLOW', roles: ['subscriber'] },
        }),
      });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().description, 'changed');
      assert.deepEqual(put.json().additionalProperties, {
        client_id: 'portico2',
        client_secret: SECRET_MASK,
      });
      assert.deepEqual(put.json().permissions, { permissionType: 'ALLOW', roles: ['subscriber'] });
      assert.deepEqual(parseDefinition((await rows(h))[0]?.definition ?? '')?.additionalProperties, {
        client_id: 'portico2',
        client_secret: 'cs-1',
      });
      assert.equal(events.at(-1)?.payload.action, 'updated');
      const rename = await h.app.inject({
        method: 'PUT',
        url: `${KM}/${km.id}`,
        headers: adminAuth,
        payload: keycloakBody({ name: 'Other' }),
      });
      assert.equal(rename.statusCode, 400);
      assert.equal(rename.json().errorCode, 'VALIDATION_FAILED');

      // Disabled managers report DISABLED.
      const disabled = await h.app.inject({
        method: 'PUT',
        url: `${KM}/${km.id}`,
        headers: adminAuth,
        payload: keycloakBody({ enabled: false }),
      });
      assert.equal(disabled.json().enabled, false);
      const hd = await h.app.inject({ method: 'GET', url: `${KM}/${km.id}/health`, headers: adminAuth });
      assert.equal(hd.json().status, 'DISABLED');

      // In use by a key mapping: 409; then deletable.
      const appId = await insertApp(h);
      await rawDb(h.store)
        .insertInto('key_mappings')
        .values({
          uuid: 'm1',
          application_id: appId,
          key_type: 'PRODUCTION',
          key_manager: 'Keycloak',
          consumer_key: 'c1',
          mode: 'CREATED',
          key_state: 'APPROVED',
          grant_types: '[]',
          callback_url: '',
          additional_properties: '{}',
          created_at: 1,
          updated_at: 1,
        })
        .execute();
      const inUse = await h.app.inject({ method: 'DELETE', url: `${KM}/${km.id}`, headers: adminAuth });
      assert.equal(inUse.statusCode, 409);
      assert.equal(inUse.json().errorCode, 'CONFLICT');
      await rawDb(h.store).deleteFrom('key_mappings').execute();
      const del = await h.app.inject({ method: 'DELETE', url: `${KM}/${km.id}`, headers: adminAuth });
      assert.equal(del.statusCode, 200);
      assert.equal(events.at(-1)?.payload.action, 'deleted');
      const gone = await h.app.inject({ method: 'GET', url: `${KM}/${km.id}`, headers: adminAuth });
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.json().errorCode, 'KEY_MANAGER_NOT_FOUND');
    } finally {
      refresher.close();
      await h.close();
    }
  });

  test(`admin key managers on ${d.name}: validation, conflicts and security`, async () => {
    const h = await createHarness(await d.open(), [keyManagerAdminRoutes()]);
    const events: PorticoEvent[] = [];
    h.bus.subscribe((e) => events.push(e));
    try {
      const post = (payload: unknown, headers: Record<string, string> = adminAuth) =>
        h.app.inject({ method: 'POST', url: KM, headers, payload: payload as Record<string, unknown> });
      const cases: [string, unknown, string][] = [
        ['reserved name', keycloakBody({ name: 'resident key manager' }), 'VALIDATION_FAILED'],
        ['no issuer', { ...keycloakBody(), issuer: undefined }, 'VALIDATION_FAILED'],
        ['bad type', keycloakBody({ type: 'Auth0' }), 'VALIDATION_FAILED'],
        ['relative URL', keycloakBody({ tokenEndpoint: '/token' }), 'VALIDATION_FAILED'],
        ['PEM certificate', keycloakBody({ certificates: { type: 'PEM', value: 'x' } }), 'VALIDATION_FAILED'],
        ['jwks without URL', keycloakBody({ certificates: undefined }), 'VALIDATION_FAILED'],
        [
          'introspection without endpoint',
          keycloakBody({ tokenValidationMethod: 'introspection' }),
          'VALIDATION_FAILED',
        ],
        [
          'ALLOW without roles',
          keycloakBody({ permissions: { permissionType: 'ALLOW' } }),
          'VALIDATION_FAILED',
        ],
        ['non-string property', keycloakBody({ additionalProperties: { apiKey: 5 } }), 'VALIDATION_FAILED'],
        ['bad claim', keycloakBody({ consumerKeyClaim: 'a b' }), 'VALIDATION_FAILED'],
        ['resident issuer', keycloakBody({ issuer: 'https://localhost:9443/oauth2/token' }), 'CONFLICT'],
      ];
      for (const [what, body, code] of cases) {
        const r = await post(body);
        assert.equal(r.json().errorCode, code, `${what}: ${r.body}`);
        assert.equal(r.statusCode, code === 'CONFLICT' ? 409 : 400, what);
      }
      const notJson = await h.app.inject({
        method: 'POST',
        url: KM,
        headers: { ...adminAuth, 'content-type': 'application/json' },
        payload: '{',
      });
      assert.equal(notJson.statusCode, 400);
      assert.equal((await rows(h)).length, 0, 'nothing written');
      assert.equal(events.length, 0, 'no event');

      assert.equal((await post(keycloakBody())).statusCode, 201);
      const dupName = await post(keycloakBody({ name: 'keycloak', issuer: 'https://other.test/realms/x' }));
      assert.equal(dupName.statusCode, 409);
      assert.equal(dupName.json().errorCode, 'CONFLICT');
      const dupIssuer = await post(keycloakBody({ name: 'Keycloak2' }));
      assert.equal(dupIssuer.statusCode, 409);
      assert.equal((await rows(h)).length, 1);

      // Unknown ids, resident manager edits.
      const missing = await h.app.inject({
        method: 'PUT',
        url: `${KM}/nope`,
        headers: adminAuth,
        payload: keycloakBody(),
      });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().errorCode, 'KEY_MANAGER_NOT_FOUND');
      const residentDel = await h.app.inject({
        method: 'DELETE',
        url: `${KM}/${RESIDENT_KEY_MANAGER_ID}`,
        headers: adminAuth,
      });
      assert.equal(residentDel.statusCode, 400);
      assert.equal(residentDel.json().errorCode, 'UNSUPPORTED_OPERATION');
      const id = (await rows(h))[0]?.uuid ?? '';
      const noRefresher = await h.app.inject({
        method: 'GET',
        url: `${KM}/${id}/health`,
        headers: adminAuth,
      });
      assert.equal(noRefresher.json().status, 'NOT_RUNNING');

      // Security: no credentials → 401; a subscriber lacks apim:admin → 403; nothing changes.
      for (const [method, url] of [
        ['GET', KM],
        ['POST', KM],
        ['GET', `${KM}/${id}`],
        ['PUT', `${KM}/${id}`],
        ['DELETE', `${KM}/${id}`],
        ['POST', `${KM}/discover`],
        ['GET', `${KM}/${id}/health`],
      ] as const) {
        const anon = await h.app.inject({
          method,
          url,
          payload: method === 'GET' || method === 'DELETE' ? undefined : keycloakBody(),
        });
        assert.equal(anon.statusCode, 401, `${method} ${url}`);
        assert.equal(anon.json().errorCode, 'UNAUTHENTICATED');
      }
      const sub = await userAuth(h, 'sub1', ['subscriber']);
      const forbidden = await h.app.inject({ method: 'DELETE', url: `${KM}/${id}`, headers: sub });
      assert.equal(forbidden.statusCode, 403);
      assert.equal(forbidden.json().errorCode, 'INSUFFICIENT_SCOPE');
      const subList = await h.app.inject({ method: 'GET', url: KM, headers: sub });
      assert.equal(subList.statusCode, 403);
      assert.equal((await rows(h)).length, 1);
    } finally {
      await h.close();
    }
  });
}

async function insertApp(h: Harness): Promise<number> {
  return applicationsRepository(h.store).create({
    uuid: 'app-1',
    name: 'App',
    owner: 'admin',
    throttlingPolicy: 'Unlimited',
    now: 1,
  });
}
