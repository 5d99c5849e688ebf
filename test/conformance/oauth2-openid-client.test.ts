import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { testDialects } from '../support/dialects.js';
import { ADMIN, basic } from '../support/control-plane-harness.js';
import { createApp, generateKeys, jwtPart, kmHarness } from './oauth2-fixtures.js';

/** wso2-compat.md §5.3: exactly these claims, in this order. */
const CLAIMS = ['sub', 'aut', 'aud', 'nbf', 'azp', 'scope', 'iss', 'exp', 'iat', 'jti', 'client_id'];

for (const d of await testDialects()) {
  test(`openid-client discovers the resident key manager and gets a client_credentials token (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = h.app.server.address() as AddressInfo;
      const base = `http://127.0.0.1:${port}`;
      // Point the deployment's public URLs at the real listener before the key manager's first use.
      Object.assign(h.ctx.urls, { controlPlane: base, issuer: `${base}/oauth2/token` });

      const admin = basic(ADMIN.username, ADMIN.password);
      const appId = await createApp(h, admin, 'OidcClientApp');
      const keys = await generateKeys(h, admin, appId, { grantTypesToBeSupported: ['client_credentials'] });

      const issuer = new URL(`${base}/oauth2/token`);
      for (const auth of [
        oidc.ClientSecretPost(keys.consumerSecret),
        oidc.ClientSecretBasic(keys.consumerSecret),
      ]) {
        const config = await oidc.discovery(issuer, keys.consumerKey, undefined, auth, {
          execute: [oidc.allowInsecureRequests],
        });
        const md = config.serverMetadata();
        assert.equal(md.issuer, issuer.href);
        assert.equal(md.token_endpoint, `${base}/oauth2/token`);
        assert.equal(md.jwks_uri, `${base}/oauth2/jwks`);
        assert.equal(md.revocation_endpoint, `${base}/oauth2/revoke`);
        assert.equal(md.introspection_endpoint, `${base}/oauth2/introspect`);
        assert.deepEqual(md.grant_types_supported, ['client_credentials', 'password', 'refresh_token']);

        const tokens = await oidc.clientCredentialsGrant(config, { scope: 'default' });
        assert.equal(tokens.token_type, 'bearer');
        assert.equal(tokens.scope, 'default');
        assert.equal(tokens.expires_in, 3600);
        assert.equal(tokens.refresh_token, undefined, 'client_credentials never returns a refresh token');

        const jwks = createRemoteJWKSet(new URL(`${base}/oauth2/jwks`));
        const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
          issuer: issuer.href,
          audience: keys.consumerKey,
        });
        // WSO2 4.x header: x5t (unpadded b64url of hex SHA-1), kid (b64url of hex SHA-256 + _RS256), alg; no typ.
        const der = h.primaryKey.certificate.raw;
        assert.deepEqual(jwtPart(tokens.access_token, 0), {
          x5t: Buffer.from(createHash('sha1').update(der).digest('hex')).toString('base64url'),
          kid: `${Buffer.from(createHash('sha256').update(der).digest('hex')).toString('base64url')}_RS256`,
          alg: 'RS256',
        });
        assert.equal(protectedHeader.typ, undefined);
        assert.deepEqual(Object.keys(jwtPart(tokens.access_token, 1)), CLAIMS);
        assert.equal(payload.sub, ADMIN.username);
        assert.equal(payload.aut, 'APPLICATION');
        assert.equal(payload.aud, keys.consumerKey);
        assert.equal(payload.azp, keys.consumerKey);
        assert.equal(payload.client_id, keys.consumerKey);
        assert.equal(payload.scope, 'default');
        assert.equal(payload.nbf, payload.iat);
        assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 3600);
        assert.match(String(payload.jti), /^[0-9a-f-]{36}$/);
      }

      // The token minted in generate-keys carries the same claim set and verifies with the published JWKS.
      assert.ok(keys.token);
      const jwks = createRemoteJWKSet(new URL(`${base}/oauth2/jwks`));
      await jwtVerify(keys.token.accessToken, jwks, { issuer: issuer.href });
      assert.deepEqual(Object.keys(jwtPart(keys.token.accessToken, 1)), CLAIMS);

      // RFC 8414 locations answer the same document.
      for (const path of [
        '/.well-known/oauth-authorization-server',
        '/.well-known/oauth-authorization-server/oauth2/token',
      ]) {
        const res = await fetch(`${base}${path}`);
        assert.equal(res.status, 200);
        assert.equal(((await res.json()) as { issuer: string }).issuer, issuer.href);
      }
    } finally {
      await h.close();
    }
  });
}
