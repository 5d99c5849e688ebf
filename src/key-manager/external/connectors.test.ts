import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  connectorFor,
  discoverKeyManager,
  oktaNewSecretUrl,
  ProviderError,
  type KeyManagerDefinition,
  type KeyManagerType,
} from './index.js';
import { publicKeysOf } from './public-keys-of.js';
import { startOidcProvider, type OidcProviderFixture } from './test-support/oidc-provider-fixture.js';

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

async function definitionFor(
  p: OidcProviderFixture,
  type: KeyManagerType,
  props: Record<string, string>,
): Promise<KeyManagerDefinition> {
  const found = await discoverKeyManager(p.wellKnown, type);
  return { ...found, id: 'id', name: `${type}-km`, displayName: type, additionalProperties: props };
}

const registration = { name: 'admin_App_PRODUCTION', grantTypes: ['client_credentials'], callbackUrl: '' };

describe('Keycloak connector against oidc-provider (RFC 7591 with an initial access token)', () => {
  let p: OidcProviderFixture;
  before(async () => {
    p = await startOidcProvider('keycloak');
  });
  after(() => p.close());

  test('discovery maps the well-known document', async () => {
    const d = await discoverKeyManager(p.wellKnown, 'Keycloak');
    assert.equal(d.issuer, p.issuer);
    assert.equal(d.clientRegistrationEndpoint, p.registrationEndpoint);
    assert.equal(d.tokenEndpoint, p.tokenEndpoint);
    assert.deepEqual(d.certificates, { type: 'JWKS', value: p.jwksUri });
    assert.equal(d.introspectionEndpoint, `${p.issuer}/protocol/openid-connect/token/introspect`);
    assert.equal(d.revokeEndpoint, `${p.issuer}/protocol/openid-connect/revoke`);
    assert.equal(d.consumerKeyClaim, 'azp');
    assert.equal(d.scopesClaim, 'scope');
    assert.equal(d.tokenValidationMethod, 'jwks');
    assert.ok(d.availableGrantTypes.includes('client_credentials'));
  });

  test('registers a client, gets a JWT with azp and scope, refuses a wrong secret', async () => {
    const c = connectorFor(
      await definitionFor(p, 'Keycloak', { initial_access_token: p.initialAccessToken }),
    );
    const client = await c.registerClient(registration);
    assert.equal(client.name, 'admin_App_PRODUCTION');
    assert.deepEqual(client.grantTypes, ['client_credentials']);
    assert.ok(client.clientSecret.length >= 20);
    const t = await c.getToken({
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      scopes: ['read'],
    });
    assert.deepEqual(t.scopes, ['read']);
    assert.equal(t.expiresIn, 3600);
    const claims = claimsOf(t.accessToken);
    assert.equal(claims.iss, p.issuer);
    assert.equal(claims.azp, client.clientId);
    assert.equal(claims.scope, 'read');
    await assert.rejects(
      c.getToken({ clientId: client.clientId, clientSecret: 'wrong', scopes: [] }),
      (e: unknown) =>
        e instanceof ProviderError && e.kind === 'invalid_client' && !e.message.includes('wrong'),
    );
    assert.equal(c.regenerateSecret, undefined, 'Keycloak cannot regenerate secrets');
  });

  test('a wrong initial access token is rejected without echoing it', async () => {
    const c = connectorFor(await definitionFor(p, 'Keycloak', { initial_access_token: 'not-the-token' }));
    await assert.rejects(
      c.registerClient(registration),
      (e: unknown) =>
        e instanceof ProviderError &&
        e.kind === 'rejected' &&
        e.status === 401 &&
        !e.message.includes('not-the-token'),
    );
  });

  test('an unreachable provider is reported as such', async () => {
    await assert.rejects(
      discoverKeyManager('http://127.0.0.1:9/.well-known/openid-configuration', 'OIDC'),
      (e: unknown) => e instanceof ProviderError && e.kind === 'unreachable',
    );
  });
});

describe('Okta connector against oidc-provider behind an SSWS client API', () => {
  let p: OidcProviderFixture;
  before(async () => {
    p = await startOidcProvider('okta');
  });
  after(() => p.close());

  test('discovery points at the org-level client API and Okta claims', async () => {
    const d = await discoverKeyManager(p.wellKnown, 'Okta');
    assert.equal(d.clientRegistrationEndpoint, `${p.origin}/oauth2/v1/clients`);
    assert.equal(d.consumerKeyClaim, 'cid');
    assert.equal(d.scopesClaim, 'scp');
  });

  test('register, read, rotate the secret, token with cid/scp, delete', async () => {
    const def = await definitionFor(p, 'Okta', { apiKey: p.apiToken });
    const c = connectorFor(def);
    const client = await c.registerClient(registration);
    assert.deepEqual(await c.retrieveClient!(client.clientId), {
      clientId: client.clientId,
      name: 'admin_App_PRODUCTION',
      grantTypes: ['client_credentials'],
      callbackUrl: '',
    });
    const t = await c.getToken({
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      scopes: ['default'],
    });
    const claims = claimsOf(t.accessToken);
    assert.equal(claims.cid, client.clientId);
    assert.deepEqual(claims.scp, ['default']);

    const secret = await c.regenerateSecret!(client.clientId);
    assert.notEqual(secret, client.clientSecret);
    await assert.rejects(
      c.getToken({ clientId: client.clientId, clientSecret: client.clientSecret, scopes: [] }),
      (e: unknown) => e instanceof ProviderError && e.kind === 'invalid_client',
    );
    assert.ok(
      (await c.getToken({ clientId: client.clientId, clientSecret: secret, scopes: [] })).accessToken,
    );

    await c.deleteClient!(client.clientId);
    assert.equal(await c.retrieveClient!(client.clientId), null);
    await c.deleteClient!(client.clientId); // already gone: not an error
  });

  test('a wrong API token is refused by the client API', async () => {
    const c = connectorFor(await definitionFor(p, 'Okta', { apiKey: 'wrong-token' }));
    await assert.rejects(
      c.registerClient(registration),
      (e: unknown) => e instanceof ProviderError && e.status === 401 && !e.message.includes('wrong-token'),
    );
  });

  test('without an apiKey the connector says the operation is unsupported', async () => {
    const c = connectorFor(await definitionFor(p, 'Okta', {}));
    await assert.rejects(
      c.registerClient(registration),
      (e: unknown) => e instanceof ProviderError && e.kind === 'unsupported',
    );
  });
});

test('the Okta secret-rotation URL derives from the registration endpoint or a template', () => {
  const base = {
    clientRegistrationEndpoint: 'https://dev-1.okta.com/oauth2/v1/clients/',
    additionalProperties: {},
  } as unknown as KeyManagerDefinition;
  assert.equal(
    oktaNewSecretUrl(base, 'a b'),
    'https://dev-1.okta.com/oauth2/v1/clients/a%20b/lifecycle/newSecret',
  );
  const custom = { ...base, additionalProperties: { newSecretEndpoint: 'https://x.test/rotate/{clientId}' } };
  assert.equal(oktaNewSecretUrl(custom, 'c1'), 'https://x.test/rotate/c1');
});

test('only public RSA/EC signature members of a JWKS are kept', () => {
  const keys = publicKeysOf({
    keys: [
      { kty: 'RSA', kid: 'r1', n: 'nn', e: 'AQAB', d: 'private', p: 'p', use: 'sig', alg: 'RS256' },
      { kty: 'EC', kid: 'e1', crv: 'P-256', x: 'xx', y: 'yy', d: 'private' },
      { kty: 'oct', kid: 's1', k: 'secret' },
      { kty: 'RSA', kid: 'enc', n: 'nn', e: 'AQAB', use: 'enc' },
      'junk',
    ],
  });
  assert.deepEqual(keys, [
    { kty: 'RSA', kid: 'r1', n: 'nn', e: 'AQAB', use: 'sig', alg: 'RS256' },
    { kty: 'EC', kid: 'e1', crv: 'P-256', x: 'xx', y: 'yy' },
  ]);
  assert.throws(() => publicKeysOf({ nokeys: [] }), /no keys array/);
});
