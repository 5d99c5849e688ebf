import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { fakeClock } from '../../core/index.js';
import { testDialects } from '../../../test/support/dialects.js';
import { ADMIN, basic, createHarness, type Harness } from '../../../test/support/control-plane-harness.js';
import { http } from '../../../test/support/http.js';
import type { RouteModule } from '../index.js';
import { callerOf } from './authenticate.js';
import { sessionRoutes } from '../sessions/index.js';

// Sign-in over a real HTTP listener. The harness's control plane trusts 127.0.0.1 as a reverse proxy, so each
// request can say which client it forwards (X-Forwarded-For) and whether that client used HTTPS.

const probe: RouteModule = (app) => {
  app.get('/api/am/probe', { config: { scopes: ['apim:admin'] } }, async (req) => ({
    user: callerOf(req).username,
  }));
};

const [sqlite] = await testDialects();
const from = (ip: string, proto = 'https') => ({ 'x-forwarded-for': ip, 'x-forwarded-proto': proto });
const OWNER = '198.51.100.2';
const ATTACKER = '203.0.113.7';

async function listening(toml: string, host = '127.0.0.1'): Promise<{ h: Harness; url: string }> {
  const h = await createHarness(await sqlite!.open(), [probe, sessionRoutes], { toml, fakeTime: true });
  await h.app.listen({ host, port: 0 });
  const { port } = h.app.server.address() as AddressInfo;
  return { h, url: `http://${host}:${port}` };
}
const PROXIED = '[server]\ntrusted_proxies = ["127.0.0.1"]\n';
const advance = (h: Harness, ms: number) => (h.clock as ReturnType<typeof fakeClock>).advance(ms);

test('Basic auth on the wire: an attacker address in backoff never locks the owner out', async () => {
  const { h, url } = await listening(PROXIED);
  try {
    const call = (ip: string, password: string) =>
      http(`${url}/api/am/probe`, { headers: { ...from(ip), authorization: basic('admin', password) } });
    for (let i = 0; i < 3; i++) {
      const r = await call(ATTACKER, 'wrong-password');
      assert.equal(r.status, 401);
      assert.deepEqual(r.json(), {
        code: 900905,
        message: 'Unauthenticated',
        description: 'Invalid user name or password',
        moreInfo: '',
        error: [],
        errorCode: 'UNAUTHENTICATED',
      });
    }
    for (let round = 1; round <= 4; round++) {
      const slowed = await call(ATTACKER, ADMIN.password);
      assert.equal(slowed.status, 429, `round ${round}`);
      assert.equal(slowed.json().errorCode, 'TOO_MANY_ATTEMPTS');
      const wait = 2 ** (round - 1);
      assert.equal(slowed.headers['retry-after'], String(wait));
      const owner = await call(OWNER, ADMIN.password);
      assert.equal(owner.status, 200, `round ${round}: ${owner.text}`);
      assert.deepEqual(owner.json(), { user: 'admin' });
      advance(h, wait * 1000);
      assert.equal((await call(ATTACKER, 'wrong-password')).status, 401);
    }
  } finally {
    await h.close();
  }
});

test('web sign-in on the wire: same per-address throttling, no cookie when refused', async () => {
  const { h, url } = await listening(PROXIED);
  try {
    const login = (ip: string, password: string) =>
      http(`${url}/api/am/auth/login`, {
        headers: from(ip),
        body: { username: 'admin', password },
      });
    for (let i = 0; i < 3; i++) assert.equal((await login(ATTACKER, 'wrong-password')).status, 401);
    const slowed = await login(ATTACKER, ADMIN.password);
    assert.equal(slowed.status, 429);
    assert.equal(slowed.headers['retry-after'], '1');
    assert.equal(slowed.headers['set-cookie'], undefined);
    const owner = await login(OWNER, ADMIN.password);
    assert.equal(owner.status, 200);
    assert.deepEqual(owner.json(), { username: 'admin', roles: ['admin'] });
    assert.match(String(owner.headers['set-cookie']), /portico_session=/);
  } finally {
    await h.close();
  }
});

test('Basic credentials have exactly one accepted spelling; the others get 401, never 5xx', async () => {
  const { h, url } = await listening(PROXIED);
  try {
    const good = Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64');
    const ok = await http(`${url}/api/am/probe`, {
      headers: { ...from(OWNER), authorization: `Basic ${good}` },
    });
    assert.equal(ok.status, 200);
    const bad = [
      `${good}!!!`,
      `${good}==xyz`,
      `${good.slice(0, 6)}*${good.slice(6)}`,
      good.replace(/=+$/, ''),
      `${good}AAAA`,
      `${good.slice(0, 8)}.${good.slice(8)}`,
    ];
    for (const value of bad) {
      const r = await http(`${url}/api/am/probe`, {
        headers: { ...from(OWNER), authorization: `Basic ${value}` },
      });
      assert.equal(r.status, 401, value);
      assert.equal(r.json().errorCode, 'UNAUTHENTICATED', value);
      assert.equal(r.json().description, 'Malformed Basic credentials', value);
    }
  } finally {
    await h.close();
  }
});

test('passwords over plain HTTP from another machine: 403 INSECURE_TRANSPORT, not counted as a failure', async () => {
  const { h, url } = await listening(PROXIED);
  try {
    const remotePlain = from('192.0.2.10', 'http');
    const viaBasic = await http(`${url}/api/am/probe`, {
      headers: { ...remotePlain, authorization: basic(ADMIN.username, ADMIN.password) },
    });
    assert.equal(viaBasic.status, 403);
    assert.deepEqual(viaBasic.json(), {
      code: 909101,
      message: 'Forbidden',
      description: 'Passwords are not accepted over plain HTTP from another machine; use the HTTPS endpoint',
      moreInfo: '',
      error: [],
      errorCode: 'INSECURE_TRANSPORT',
    });
    const viaLogin = await http(`${url}/api/am/auth/login`, {
      headers: remotePlain,
      body: { username: ADMIN.username, password: ADMIN.password },
    });
    assert.equal(viaLogin.status, 403);
    assert.equal(viaLogin.json().errorCode, 'INSECURE_TRANSPORT');
    assert.equal(viaLogin.headers['set-cookie'], undefined);
    // The refusals did not count as failed guesses: the same client over HTTPS signs in at once.
    const overTls = await http(`${url}/api/am/probe`, {
      headers: { ...from('192.0.2.10'), authorization: basic(ADMIN.username, ADMIN.password) },
    });
    assert.equal(overTls.status, 200);
  } finally {
    await h.close();
  }
});

/** The first non-internal IPv4 address of this machine (e.g. eth0), if any. */
function externalIpv4(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

const external = externalIpv4();
test(
  'a plain-HTTP listener on a non-loopback address refuses Basic auth; loopback and allow_insecure_auth accept it',
  { skip: external ? false : 'this machine has no non-loopback IPv4 address' },
  async () => {
    const auth = { authorization: basic(ADMIN.username, ADMIN.password) };
    const remote = await listening('', external);
    try {
      const r = await http(`${remote.url}/api/am/probe`, { headers: auth });
      assert.equal(r.status, 403);
      assert.equal(r.json().errorCode, 'INSECURE_TRANSPORT');
      // Forwarded headers from a peer that is not a trusted proxy change nothing.
      const spoofed = await http(`${remote.url}/api/am/probe`, {
        headers: { ...auth, ...from('127.0.0.1', 'https') },
      });
      assert.equal(spoofed.status, 403);
    } finally {
      await remote.h.close();
    }
    const loopback = await listening('');
    try {
      assert.equal((await http(`${loopback.url}/api/am/probe`, { headers: auth })).status, 200);
    } finally {
      await loopback.h.close();
    }
    const allowed = await listening('[server]\nallow_insecure_auth = true\n', external);
    try {
      assert.equal((await http(`${allowed.url}/api/am/probe`, { headers: auth })).status, 200);
    } finally {
      await allowed.h.close();
    }
  },
);
