import assert from 'node:assert/strict';
import { randomUUID, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { defaultGatewaySettings } from '../../gateway-options.js';
import { startHarness, type Harness } from '../../test-support/gateway-harness.js';
import { APPS, fixtureSnapshot, KM_ISSUER } from '../../test-support/fixture-snapshot.js';
import {
  apiKeySigner,
  keyManagerKeys,
  lightweightClaims,
  mintAccessToken,
  mintApiKey,
} from '../../test-support/mint-tokens.js';

const D = 'http://wso2.org/claims';

for (const encoding of ['base64', 'base64url'] as const) {
  describe(`backend JWT (${encoding})`, () => {
    const km = keyManagerKeys();
    let h: Harness;
    before(async () => {
      const s = defaultGatewaySettings();
      h = await startHarness((u) => fixtureSnapshot(u, km.jwk), {
        backendJwt: { ...s.backendJwt, enabled: true, encoding },
        backendJwtKey: { privateKey: apiKeySigner.privateKey, certificate: apiKeySigner.certificate },
      });
    });
    after(() => h.close());

    const decode = (jwt: string) => {
      const [hd, pl, sig] = jwt.split('.') as [string, string, string];
      if (encoding === 'base64') assert.match(jwt, /^[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
      else assert.doesNotMatch(jwt, /[+/=]/);
      const ok = verify(
        'sha256',
        Buffer.from(`${hd}.${pl}`),
        apiKeySigner.certificate.publicKey,
        Buffer.from(sig, encoding),
      );
      assert.equal(ok, true, 'signature verifies with the gateway certificate');
      return {
        header: JSON.parse(Buffer.from(hd, encoding).toString()) as Record<string, unknown>,
        claims: JSON.parse(Buffer.from(pl, encoding).toString()) as Record<string, unknown>,
      };
    };

    it('is sent for OAuth2 tokens with the WSO2 claims, replacing a client-sent one', async () => {
      const now = Math.floor(h.clock.now() / 1000);
      const token = mintAccessToken(km.privateKey, {
        sub: 'admin',
        aut: 'APPLICATION',
        azp: `ck-${APPS.subscribed}`,
        scope: 'default',
        iss: KM_ISSUER,
        iat: now,
        exp: now + 3600,
        jti: randomUUID(),
      });
      const r = await h.request('/pizzashack/1.0.0/menu', {
        headers: { authorization: `Bearer ${token}`, 'x-jwt-assertion': 'forged' },
      });
      assert.equal(r.status, 200);
      const jwt = h.seen.at(-1)?.headers['x-jwt-assertion'];
      assert.equal(typeof jwt, 'string');
      const { header, claims } = decode(jwt as string);
      assert.equal(header.alg, 'RS256');
      assert.equal(header.typ, 'JWT');
      assert.equal(typeof header.x5t, 'string');
      assert.equal(claims.iss, 'wso2.org/products/am');
      assert.equal(claims.exp, now + 900);
      assert.equal(claims.sub, 'admin');
      assert.equal(claims.azp, `ck-${APPS.subscribed}`);
      assert.equal(claims[`${D}/subscriber`], 'admin');
      assert.equal(claims[`${D}/applicationid`], String(APPS.subscribed));
      assert.equal(claims[`${D}/applicationname`], 'subscribed');
      assert.equal(claims[`${D}/apiname`], 'pizza-name');
      assert.equal(claims[`${D}/apicontext`], '/pizzashack/1.0.0');
      assert.equal(claims[`${D}/version`], '1.0.0');
      assert.equal(claims[`${D}/tier`], 'Unlimited');
      assert.equal(claims[`${D}/keytype`], 'PRODUCTION');
      assert.equal(claims[`${D}/usertype`], 'APPLICATION');
      assert.equal(claims[`${D}/enduser`], 'admin@carbon.super');
      assert.equal(claims[`${D}/applicationUUId`], `app-uuid-${APPS.subscribed}`);
      assert.equal(claims[`${D}/applicationAttributes`], '{"team":"pizza"}');
      // Cached per (jti, API): the same token gets the same assertion.
      await h.request('/pizzashack/1.0.0/menu', { headers: { authorization: `Bearer ${token}` } });
      assert.equal(h.seen.at(-1)?.headers['x-jwt-assertion'], jwt);
    });

    it('is sent for API keys and not for anonymous resources', async () => {
      const k = mintApiKey(lightweightClaims(APPS.subscribed, Math.floor(h.clock.now() / 1000)));
      await h.request('/pizzashack/1.0.0/menu', { headers: { apikey: k } });
      const { claims } = decode(h.seen.at(-1)?.headers['x-jwt-assertion'] as string);
      assert.equal(claims.sub, 'admin@carbon.super');
      assert.equal(claims[`${D}/usertype`], 'Application_User');
      await h.request('/pizzashack/1.0.0/open', { headers: { 'x-jwt-assertion': 'forged' } });
      assert.equal(h.seen.at(-1)?.headers['x-jwt-assertion'], undefined);
    });
  });
}
