import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import * as oidc from 'openid-client';
import { testDialects } from '../support/dialects.js';
import { ADMIN, basic, createHarness, type Harness } from '../support/control-plane-harness.js';
import {
  createSnapshotService,
  startChangeFeed,
  type RouteModule,
  type SnapshotService,
} from '../../src/control-plane/index.js';
import type { Snapshot } from '../../src/core/index.js';
import {
  applicationsRoutes,
  keyManagersRoutes,
  keyTokenRoutes,
  keysRoutes,
} from '../../src/control-plane/devportal/index.js';
import { devportalSubscriptionRoutes } from '../../src/control-plane/devportal/subscriptions/index.js';
import { keyManagerAdminRoutes, type KeyManagerRoutesOptions } from '../../src/control-plane/admin/index.js';
import { publisherRoutes } from '../../src/control-plane/publisher/index.js';
import { publishedApi } from '../../src/control-plane/publisher/test-support/publisher-fixtures.js';
import { createGateway, defaultGatewaySettings, type Gateway } from '../../src/gateway/index.js';
import {
  connectorFor,
  createJwksRefresher,
  parseDefinition,
  type JwksRefresher,
} from '../../src/key-manager/external/index.js';
import type { Store } from '../../src/store/index.js';
import {
  startOidcProvider,
  type OidcProviderFixture,
  type ProviderFlavor,
} from '../../src/key-manager/external/test-support/oidc-provider-fixture.js';
import { rawDb } from '../support/raw-db.js';

const DP = '/api/am/devportal/v3';
const KM = '/api/am/admin/v4/key-managers';
const admin = basic(ADMIN.username, ADMIN.password);
const json = { authorization: admin, 'content-type': 'application/json' };

let upstream: http.Server;
let upstreamUrl = '';
before(async () => {
  upstream = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify([{ name: 'BBQ Chicken Bacon', path: req.url }]));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/api`;
});
after(() => new Promise<void>((r) => upstream.close(() => r())));

interface World {
  h: Harness;
  p: OidcProviderFixture;
  refresher: JwksRefresher;
  gateway: Gateway;
  snapshots: SnapshotService;
  gatewayUrl: string;
  kmName: string;
  close(): Promise<void>;
}

/** Control plane + refresher + snapshot service + gateway on a real port, and the provider as a key manager. */
async function world(store: Store, flavor: ProviderFlavor): Promise<World> {
  const opts: KeyManagerRoutesOptions = {};
  const modules: RouteModule[] = [
    publisherRoutes(),
    applicationsRoutes,
    keysRoutes,
    keyTokenRoutes,
    keyManagersRoutes,
    devportalSubscriptionRoutes,
    keyManagerAdminRoutes(opts),
  ];
  const h = await createHarness(store, modules);
  const p = await startOidcProvider(flavor);
  const logger = pino({ level: process.env.PORTICO_TEST_LOG ?? 'silent' });
  const refresher = createJwksRefresher({
    store,
    bus: h.bus,
    changes: h.changes,
    clock: h.clock,
    logger,
    cooldownMs: 200,
  });
  opts.refresher = refresher;
  const residentKeyManager = (await h.ctx.snapshots.current()).keyManagers[0]!;
  const extras = {
    residentKeyManager,
    externalJwks: (n: string) => refresher.keys(n),
  };
  const feed = await startChangeFeed({
    store,
    changeLog: h.changes,
    extras,
    clock: h.clock,
    logger,
    pollIntervalMs: 60_000,
  });
  const snapshots = createSnapshotService({ store, feed, clock: h.clock, logger, extras });
  const gateway = createGateway({
    snapshotSource: snapshots,
    clock: h.clock,
    logger,
    settings: defaultGatewaySettings(),
    version: 'test',
    onUnknownKid: (name) => void refresher.refresh(name),
  });
  // keepAliveTimeout as Portico's own listeners have it: with Node's 5 s default a loaded machine lets fetch reuse a
  // socket the server is closing at that moment ("fetch failed").
  const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => gateway.handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await refresher.start();

  // Admin: import the provider's metadata, add the connector config, save.
  const disc = await h.app.inject({
    method: 'POST',
    url: `${KM}/discover`,
    headers: json,
    payload: { url: p.wellKnown, type: flavor === 'okta' ? 'Okta' : 'Keycloak' },
  });
  assert.equal(disc.statusCode, 200, disc.body);
  const kmName = flavor === 'okta' ? 'Okta' : 'Keycloak';
  const created = await h.app.inject({
    method: 'POST',
    url: KM,
    headers: json,
    payload: {
      ...disc.json().value,
      name: kmName,
      clientRegistrationEndpoint: p.registrationEndpoint,
      availableGrantTypes: ['client_credentials'],
      additionalProperties:
        flavor === 'okta' ? { apiKey: p.apiToken } : { initial_access_token: p.initialAccessToken },
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  await refresher.settled();
  await snapshots.rebuild();
  return {
    h,
    p,
    refresher,
    gateway,
    snapshots,
    gatewayUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    kmName,
    async close() {
      refresher.close();
      snapshots.close();
      feed.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await gateway.close();
      await p.close();
      await h.close();
    },
  };
}

async function dp(h: Harness, path: string, body: unknown) {
  return h.app.inject({ method: 'POST', url: `${DP}${path}`, headers: json, payload: JSON.stringify(body) });
}

async function appWithKeys(w: World, name: string, apiId: string | null) {
  const app = await dp(w.h, '/applications', { name, throttlingPolicy: 'Unlimited' });
  assert.equal(app.statusCode, 201, app.body);
  const applicationId = app.json().applicationId as string;
  if (apiId) {
    const sub = await dp(w.h, '/subscriptions', { applicationId, apiId, throttlingPolicy: 'Unlimited' });
    assert.equal(sub.statusCode, 201, sub.body);
  }
  const keys = await dp(w.h, `/applications/${applicationId}/generate-keys`, {
    keyType: 'PRODUCTION',
    keyManager: w.kmName,
    grantTypesToBeSupported: ['client_credentials'],
    scopes: ['default'],
  });
  assert.equal(keys.statusCode, 200, keys.body);
  return { applicationId, keys: keys.json() };
}

async function call(w: World, token: string) {
  const started = performance.now();
  const res = await fetch(`${w.gatewayUrl}/pizzashack/1.0.0/menu`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - started };
}

/**
 * Waits until the snapshot the gateway serves satisfies `pred` (the gateway applies each snapshot synchronously
 * when the snapshot service publishes it, so the service's current one is the gateway's).
 */
async function served(w: World, pred: (s: Snapshot) => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const s = await w.snapshots.current();
    if (pred(s) && w.gateway.currentVersion() >= s.version) return;
    if (Date.now() > deadline) throw new Error('the gateway did not get the expected snapshot');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const hasMapping = (consumerKey: string) => (s: Snapshot) =>
  s.keyMappings.some((m) => m.consumerKey === consumerKey);

async function providerToken(w: World, clientId: string, secret: string): Promise<string> {
  const config = await oidc.discovery(
    new URL(w.p.issuer),
    clientId,
    undefined,
    oidc.ClientSecretBasic(secret),
    {
      execute: [oidc.allowInsecureRequests],
    },
  );
  return (await oidc.clientCredentialsGrant(config, { scope: 'default' })).access_token;
}

function foreignToken(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ alg: 'RS256', kid: 'foreign' })}.${enc({ iss: 'https://unknown.example/oauth2', azp: 'x', cid: 'x', exp: Math.floor(Date.now() / 1000) + 600 })}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

for (const d of await testDialects()) {
  for (const flavor of ['keycloak', 'okta'] as const) {
    test(`external key manager (${flavor}, ${d.name}): keys, tokens, gateway, rotation, provider down`, async () => {
      const w = await world(await d.open(), flavor);
      try {
        const { h, p } = w;
        const apiId = await publishedApi(h, {
          name: 'PizzaShackAPI',
          context: '/pizzashack',
          version: '1.0.0',
          endpointConfig: { endpoint_type: 'http', production_endpoints: { url: upstreamUrl } },
          operations: [{ target: '/menu', verb: 'GET' }],
        });

        // The Developer Portal lists the external manager.
        const kms = await h.app.inject({ method: 'GET', url: `${DP}/key-managers`, headers: json });
        assert.deepEqual(
          kms.json().list.map((k: { name: string }) => k.name),
          ['Resident Key Manager', w.kmName],
        );

        // generate-keys registers a client at the provider and returns its credentials and a provider token.
        const { applicationId, keys } = await appWithKeys(w, 'ExtApp', apiId);
        assert.equal(keys.keyManager, w.kmName);
        assert.equal(keys.mode, 'CREATED');
        assert.equal(typeof keys.consumerSecret, 'string');
        assert.deepEqual(keys.supportedGrantTypes, ['client_credentials']);
        assert.deepEqual(keys.token.tokenScopes, ['default']);
        assert.equal(keys.token.validityTime, 3600);
        const mapping = await rawDb(h.store).selectFrom('key_mappings').selectAll().executeTakeFirstOrThrow();
        assert.equal(mapping.key_manager, w.kmName);
        assert.equal(mapping.consumer_key, keys.consumerKey);
        for (const table of ['key_mappings', 'oauth_clients', 'key_managers'] as const) {
          const dump = JSON.stringify(await rawDb(h.store).selectFrom(table).selectAll().execute());
          assert.ok(!dump.includes(keys.consumerSecret), `the provider secret is not stored in ${table}`);
        }

        // The provider's token passes the gateway: issuer → manager, claims mapped, subscription found.
        await served(w, hasMapping(keys.consumerKey));
        const ok = await call(w, keys.token.accessToken);
        assert.equal(ok.status, 200, ok.body);
        assert.match(ok.body, /BBQ Chicken Bacon/);

        // generate-token with the secret; a wrong secret is refused.
        const tok = await dp(
          h,
          `/applications/${applicationId}/oauth-keys/${keys.keyMappingId}/generate-token`,
          {
            consumerSecret: keys.consumerSecret,
            scopes: ['default'],
            validityPeriod: 3600,
          },
        );
        assert.equal(tok.statusCode, 200, tok.body);
        assert.deepEqual(Object.keys(tok.json()).sort(), ['accessToken', 'tokenScopes', 'validityTime']);
        assert.equal((await call(w, tok.json().accessToken)).status, 200);
        const wrong = await dp(
          h,
          `/applications/${applicationId}/oauth-keys/${keys.keyMappingId}/generate-token`,
          {
            consumerSecret: 'wrong-secret',
          },
        );
        assert.equal(wrong.statusCode, 400);
        assert.equal(wrong.json().errorCode, 'INVALID_CONSUMER_SECRET');

        // regenerate-secret: Okta rotates, Keycloak cannot.
        const regen = await dp(
          h,
          `/applications/${applicationId}/oauth-keys/${keys.keyMappingId}/regenerate-secret`,
          {},
        );
        if (flavor === 'keycloak') {
          assert.equal(regen.statusCode, 400);
          assert.equal(regen.json().errorCode, 'UNSUPPORTED_OPERATION');
        } else {
          assert.equal(regen.statusCode, 200, regen.body);
          assert.equal(regen.json().consumerKey, keys.consumerKey);
          assert.notEqual(regen.json().consumerSecret, keys.consumerSecret);
          const old = await dp(
            h,
            `/applications/${applicationId}/oauth-keys/${keys.keyMappingId}/generate-token`,
            {
              consumerSecret: keys.consumerSecret,
            },
          );
          assert.equal(old.statusCode, 400);
          keys.consumerSecret = regen.json().consumerSecret;
        }

        // An application that is not subscribed: 900908.
        const other = await appWithKeys(w, 'Unsubscribed', null);
        await served(w, hasMapping(other.keys.consumerKey));
        const unsub = await call(w, other.keys.token.accessToken);
        assert.equal(unsub.status, 403, unsub.body);
        assert.match(unsub.body, /900908/);

        // map-keys links an existing provider client (registered outside Portico) to a third application.
        const reg = await dp(h, '/applications', { name: 'Mapped', throttlingPolicy: 'Unlimited' });
        const mappedApp = reg.json().applicationId as string;
        const row = await rawDb(h.store).selectFrom('key_managers').selectAll().executeTakeFirstOrThrow();
        const connector = connectorFor(parseDefinition(row.definition)!);
        const outside = await connector.registerClient({
          name: 'outside',
          grantTypes: ['client_credentials'],
          callbackUrl: '',
        });
        const taken = await dp(h, `/applications/${mappedApp}/map-keys`, {
          consumerKey: other.keys.consumerKey,
          consumerSecret: 'whatever',
          keyManager: w.kmName,
          keyType: 'SANDBOX',
        });
        assert.equal(taken.statusCode, 409, 'already mapped to Unsubscribed');
        assert.equal(taken.json().errorCode, 'KEYS_ALREADY_GENERATED');
        const badMap = await dp(h, `/applications/${mappedApp}/map-keys`, {
          consumerKey: outside.clientId,
          consumerSecret: 'not-the-secret',
          keyManager: w.kmName,
          keyType: 'PRODUCTION',
        });
        assert.equal(badMap.statusCode, 400);
        assert.equal(badMap.json().errorCode, 'INVALID_CONSUMER_SECRET');
        const mapped = await dp(h, `/applications/${mappedApp}/map-keys`, {
          consumerKey: outside.clientId,
          consumerSecret: outside.clientSecret,
          keyManager: w.kmName,
          keyType: 'PRODUCTION',
        });
        assert.equal(mapped.statusCode, 200, mapped.body);
        assert.equal(mapped.json().mode, 'MAPPED');
        assert.equal(mapped.json().keyManager, w.kmName);
        assert.equal(mapped.json().consumerKey, outside.clientId);

        // Deleting keys Portico created removes the client at the provider when the connector can (Okta).
        const del = await h.app.inject({
          method: 'DELETE',
          url: `${DP}/applications/${other.applicationId}/oauth-keys/${other.keys.keyMappingId}`,
          headers: { authorization: admin },
        });
        assert.equal(del.statusCode, 200, del.body);
        if (connector.retrieveClient)
          assert.equal(await connector.retrieveClient(other.keys.consumerKey), null);

        // A token from an unknown issuer: 900901.
        const foreign = await call(w, foreignToken());
        assert.equal(foreign.status, 401);
        assert.match(foreign.body, /900901/);

        // Rotation: a token with the new kid fails fast while the JWKS is refetched in the background, then works.
        await new Promise((r) => setTimeout(r, 250)); // past the refresher's cooldown
        p.rotateKeys();
        p.setJwksDelay(2000); // waiting for it would take ≥ 2 s: far from any load-induced delay
        const rotated = await providerToken(w, keys.consumerKey, keys.consumerSecret);
        const first = await call(w, rotated);
        assert.equal(first.status, 401, first.body);
        assert.match(first.body, /900901/);
        assert.ok(
          first.ms < 1000,
          `an unknown kid is answered without waiting for the JWKS (${first.ms.toFixed(1)} ms)`,
        );
        const again = await call(w, rotated);
        assert.ok(again.ms < 1000, `still no wait while the fetch runs (${again.ms.toFixed(1)} ms)`);
        await w.refresher.settled();
        const newKid = p.kids()[0];
        await served(w, (s) => s.keyManagers.some((k) => k.jwks.some((j) => j.kid === newKid)));
        assert.equal((await call(w, rotated)).status, 200);
        assert.equal((await call(w, keys.token.accessToken)).status, 200, 'old-key tokens still verify');
        p.setJwksDelay(0);

        // Provider down: verifiable tokens keep working; the health shows the failure.
        p.setDown(true);
        await new Promise((r) => setTimeout(r, 250));
        await w.refresher.refresh(w.kmName);
        assert.equal((await call(w, rotated)).status, 200);
        const kmId = (
          await rawDb(h.store).selectFrom('key_managers').select('uuid').executeTakeFirstOrThrow()
        ).uuid;
        const health = await h.app.inject({ method: 'GET', url: `${KM}/${kmId}/health`, headers: json });
        assert.equal(health.json().status, 'FAILING');
        assert.match(health.json().error, /unreachable/);
        assert.deepEqual(health.json().keyIds, p.kids());
        p.setDown(false);
      } finally {
        await w.close();
      }
    });
  }
}
