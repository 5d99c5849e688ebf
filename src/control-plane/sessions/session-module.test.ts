import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { testDialects } from '../../../test/support/dialects.js';
import { ADMIN, createHarness } from '../../../test/support/control-plane-harness.js';
import type { fakeClock } from '../../core/index.js';
import { userRoutes } from '../users/user-routes.js';
import { sessionModule } from './session-module.js';

const JSON_CT = { 'content-type': 'application/json' };

/** name → {value, attributes} of the Set-Cookie headers of a response. */
function setCookies(res: LightMyRequestResponse): Map<string, { value: string; attrs: string[] }> {
  const raw = res.headers['set-cookie'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const out = new Map<string, { value: string; attrs: string[] }>();
  for (const c of list) {
    const [pair, ...attrs] = c.split('; ');
    const eq = pair!.indexOf('=');
    out.set(pair!.slice(0, eq), { value: decodeURIComponent(pair!.slice(eq + 1)), attrs });
  }
  return out;
}

for (const d of await testDialects()) {
  test(`web sessions on ${d.name}: login, cookie flags, CSRF, logout, expiry`, async () => {
    const s = sessionModule();
    const h = await createHarness(await d.open(), [userRoutes(), s.routes], { fakeTime: true });
    h.cp.setSessionResolver(s.resolver);
    const clock = h.clock as ReturnType<typeof fakeClock>;
    try {
      const login = await h.app.inject({
        method: 'POST',
        url: '/api/am/auth/login',
        headers: JSON_CT,
        payload: ADMIN,
      });
      assert.equal(login.statusCode, 200);
      assert.deepEqual(login.json(), { username: 'admin', roles: ['admin'] });
      const cookies = setCookies(login);
      const session = cookies.get('portico_session')!;
      const csrf = cookies.get('portico_csrf')!;
      assert.deepEqual(session.attrs, ['Path=/', 'Max-Age=28800', 'Secure', 'SameSite=Strict', 'HttpOnly']);
      assert.deepEqual(csrf.attrs, ['Path=/', 'Max-Age=28800', 'Secure', 'SameSite=Strict']);
      assert.doesNotMatch(login.body, new RegExp(session.value.slice(0, 20)));
      const cookie = `portico_session=${session.value}; portico_csrf=${csrf.value}`;

      const me = await h.app.inject({ method: 'GET', url: '/api/am/auth/session', headers: { cookie } });
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().username, 'admin');
      assert.deepEqual(me.json().roles, ['admin']);
      assert.ok(me.json().scopes.includes('apim:admin'));
      assert.equal(setCookies(me).get('portico_csrf')?.value, csrf.value);

      // The session authenticates REST calls; safe methods need no CSRF header.
      const users = await h.app.inject({ method: 'GET', url: '/api/am/admin/v4/users', headers: { cookie } });
      assert.equal(users.statusCode, 200);

      const newUser = { username: 'sam', password: 'sam-password-1', roles: ['subscriber'] };
      const noCsrf = await h.app.inject({
        method: 'POST',
        url: '/api/am/admin/v4/users',
        headers: { cookie, ...JSON_CT },
        payload: newUser,
      });
      assert.equal(noCsrf.statusCode, 401);
      assert.equal(noCsrf.json().errorCode, 'UNAUTHENTICATED');
      assert.ok(noCsrf.headers['www-authenticate']);
      // A pair equal in cookie and header but not bound to the session is refused too.
      const forged = await h.app.inject({
        method: 'POST',
        url: '/api/am/admin/v4/users',
        headers: {
          cookie: `portico_session=${session.value}; portico_csrf=forged`,
          'x-csrf-token': 'forged',
          'x-requested-with': 'XMLHttpRequest',
          ...JSON_CT,
        },
        payload: newUser,
      });
      assert.equal(forged.statusCode, 401);
      assert.equal(forged.headers['www-authenticate'], undefined, 'no Basic prompt for the UI');
      assert.equal(await h.ctx.users.get('sam'), undefined, 'nothing created without CSRF');
      const created = await h.app.inject({
        method: 'POST',
        url: '/api/am/admin/v4/users',
        headers: { cookie, 'x-csrf-token': csrf.value, ...JSON_CT },
        payload: newUser,
      });
      assert.equal(created.statusCode, 201);

      // A second module (restart, another control plane) with the same key accepts the token.
      const other = sessionModule(h.ctx);
      const fake = { headers: { cookie }, method: 'GET' } as never;
      assert.deepEqual(await other.resolver.resolve(fake), { username: 'admin' });

      // Tampered token.
      const tampered = session.value.replace(/^./, (c) => (c === 'e' ? 'f' : 'e'));
      const bad = await h.app.inject({
        method: 'GET',
        url: '/api/am/auth/session',
        headers: { cookie: `portico_session=${tampered}` },
      });
      assert.equal(bad.statusCode, 401);

      // Logout without CSRF clears cookies but does not revoke; with CSRF it revokes.
      const out1 = await h.app.inject({ method: 'POST', url: '/api/am/auth/logout', headers: { cookie } });
      assert.equal(out1.statusCode, 204);
      assert.equal(setCookies(out1).get('portico_session')?.attrs[1], 'Max-Age=0');
      assert.equal(
        (await h.app.inject({ method: 'GET', url: '/api/am/auth/session', headers: { cookie } })).statusCode,
        200,
      );
      const out2 = await h.app.inject({
        method: 'POST',
        url: '/api/am/auth/logout',
        headers: { cookie, 'x-csrf-token': csrf.value },
      });
      assert.equal(out2.statusCode, 204);
      const after = await h.app.inject({ method: 'GET', url: '/api/am/auth/session', headers: { cookie } });
      assert.equal(after.statusCode, 401);
      assert.equal(after.json().errorCode, 'UNAUTHENTICATED');
      assert.equal(
        (await h.app.inject({ method: 'GET', url: '/api/am/admin/v4/users', headers: { cookie } }))
          .statusCode,
        401,
      );

      // Expiry after 8 h.
      const again = await h.app.inject({
        method: 'POST',
        url: '/api/am/auth/login',
        headers: JSON_CT,
        payload: ADMIN,
      });
      const c2 = `portico_session=${setCookies(again).get('portico_session')!.value}`;
      clock.advance(8 * 3600_000 - 1000);
      assert.equal(
        (await h.app.inject({ method: 'GET', url: '/api/am/auth/session', headers: { cookie: c2 } }))
          .statusCode,
        200,
      );
      clock.advance(1000);
      assert.equal(
        (await h.app.inject({ method: 'GET', url: '/api/am/auth/session', headers: { cookie: c2 } }))
          .statusCode,
        401,
      );
    } finally {
      await h.close();
    }
  });

  test(`web sessions on ${d.name}: bad logins, malformed input, slow-down`, async () => {
    const s = sessionModule();
    const h = await createHarness(await d.open(), [s.routes]);
    h.cp.setSessionResolver(s.resolver);
    try {
      const none = await h.app.inject({ method: 'GET', url: '/api/am/auth/session' });
      assert.equal(none.statusCode, 401);
      assert.equal(none.headers['set-cookie'], undefined);

      const form = await h.app.inject({
        method: 'POST',
        url: '/api/am/auth/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'username=admin&password=admin-password-1',
      });
      assert.equal(form.statusCode, 415);
      assert.equal(form.json().errorCode, 'UNSUPPORTED_MEDIA_TYPE');
      assert.equal(form.headers['set-cookie'], undefined);

      const malformed = await h.app.inject({
        method: 'POST',
        url: '/api/am/auth/login',
        headers: JSON_CT,
        payload: { username: 'admin' },
      });
      assert.equal(malformed.statusCode, 400);
      assert.equal(malformed.json().errorCode, 'VALIDATION_FAILED');

      const wrong = { username: 'admin', password: 'wrong-password' };
      for (let i = 0; i < 3; i++) {
        const r = await h.app.inject({
          method: 'POST',
          url: '/api/am/auth/login',
          headers: JSON_CT,
          payload: wrong,
        });
        assert.equal(r.statusCode, 401);
        assert.equal(r.json().description, 'Invalid user name or password');
        assert.equal(r.headers['set-cookie'], undefined);
      }
      const slowed = await h.app.inject({
        method: 'POST',
        url: '/api/am/auth/login',
        headers: JSON_CT,
        payload: ADMIN,
      });
      assert.equal(slowed.statusCode, 429);
      assert.equal(slowed.json().errorCode, 'TOO_MANY_ATTEMPTS');
      assert.equal(slowed.headers['set-cookie'], undefined);

      const unknown = await h.app.inject({
        method: 'POST',
        url: '/api/am/auth/login',
        headers: JSON_CT,
        payload: { username: 'nobody', password: 'whatever-1' },
      });
      assert.equal(unknown.statusCode, 401);
    } finally {
      await h.close();
    }
  });
}
