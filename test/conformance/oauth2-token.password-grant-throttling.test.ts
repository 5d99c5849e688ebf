import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../support/dialects.js';
import { ADMIN, basic, type Harness } from '../support/control-plane-harness.js';
import { createApp, DP, generateKeys, kmHarness } from './oauth2-fixtures.js';

// The password grant is a sign-in too: it is throttled per (user, client address) like Basic auth and the web UI,
// and refused over plain HTTP from another machine. 127.0.0.1 (inject's peer) is a trusted proxy here, so each
// request names its client with X-Forwarded-For / X-Forwarded-Proto.

const [sqlite] = await testDialects();
const OWNER = '198.51.100.2';
const ATTACKER = '203.0.113.7';

function passwordGrant(
  h: Harness,
  client: { id: string; secret: string },
  password: string,
  ip: string,
  proto = 'https',
) {
  return h.app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(client.id, client.secret),
      'x-forwarded-for': ip,
      'x-forwarded-proto': proto,
    },
    payload: new URLSearchParams({
      grant_type: 'password',
      username: ADMIN.username,
      password,
      scope: 'apim:subscribe',
    }).toString(),
  });
}

test('password grant: an attacker address is throttled, the owner from another address gets a token', async () => {
  const h = await kmHarness(await sqlite!.open(), {
    toml: '[server]\ntrusted_proxies = ["127.0.0.1"]\n',
  });
  try {
    const admin = basic(ADMIN.username, ADMIN.password);
    const keys = await generateKeys(h, admin, await createApp(h, admin, 'Ropc'));
    const client = { id: keys.consumerKey, secret: keys.consumerSecret };
    for (let i = 0; i < 3; i++) {
      const r = await passwordGrant(h, client, 'wrong-password', ATTACKER);
      assert.equal(r.statusCode, 400);
      assert.deepEqual(r.json(), {
        error: 'invalid_grant',
        error_description: 'Invalid resource owner credentials',
      });
    }
    const slowed = await passwordGrant(h, client, ADMIN.password, ATTACKER);
    assert.equal(slowed.statusCode, 400);
    assert.deepEqual(slowed.json(), {
      error: 'invalid_grant',
      error_description: 'Too many failed sign-ins; retry in 1 s',
    });

    const owner = await passwordGrant(h, client, ADMIN.password, OWNER);
    assert.equal(owner.statusCode, 200, owner.body);
    const token = owner.json().access_token as string;

    const plain = await passwordGrant(h, client, ADMIN.password, '192.0.2.10', 'http');
    assert.equal(plain.statusCode, 400);
    assert.deepEqual(plain.json(), {
      error: 'invalid_request',
      // The client secret is refused first: it is a password too.
      error_description: 'Client secrets are only accepted over HTTPS (or from this machine)',
    });

    // Bearer tokens stay accepted over plain HTTP (WSO2 clients use them on 9763); only passwords are refused.
    const bearer = await h.app.inject({
      method: 'GET',
      url: `${DP}/applications`,
      headers: {
        authorization: `Bearer ${token}`,
        'x-forwarded-for': '192.0.2.10',
        'x-forwarded-proto': 'http',
      },
    });
    assert.equal(bearer.statusCode, 200, bearer.body);
    const basicPlain = await h.app.inject({
      method: 'GET',
      url: `${DP}/applications`,
      headers: { authorization: admin, 'x-forwarded-for': '192.0.2.10', 'x-forwarded-proto': 'http' },
    });
    assert.equal(basicPlain.statusCode, 403);
    assert.equal(basicPlain.json().errorCode, 'INSECURE_TRANSPORT');
  } finally {
    await h.close();
  }
});
