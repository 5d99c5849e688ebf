import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../test/support/dialects.js';
import { ADMIN, basic, createHarness } from '../../test/support/control-plane-harness.js';
import type { RouteModule } from './index.js';
import { callerOf } from './index.js';

const probe: RouteModule = (app) => {
  app.get('/api/am/probe', { config: { scopes: ['apim:admin'] } }, async (req) => ({
    user: callerOf(req).username,
  }));
  app.get('/api/am/probe-subscriber', { config: { scopes: ['apim:subscribe'] } }, async (req) => ({
    user: callerOf(req).username,
  }));
};

for (const d of await testDialects()) {
  test(`control plane on ${d.name}: health, Basic auth, scopes, slow-down`, async () => {
    const h = await createHarness(await d.open(), [probe]);
    try {
      const health = await h.app.inject({ method: 'GET', url: '/health' });
      assert.equal(health.statusCode, 200);
      assert.equal(health.json().status, 'UP');

      const none = await h.app.inject({ method: 'GET', url: '/api/am/probe' });
      assert.equal(none.statusCode, 401);
      assert.equal(none.json().errorCode, 'UNAUTHENTICATED');

      const ok = await h.app.inject({
        method: 'GET',
        url: '/api/am/probe',
        headers: { authorization: basic(ADMIN.username, ADMIN.password) },
      });
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(ok.json(), { user: 'admin' });

      const wrong = await h.app.inject({
        method: 'GET',
        url: '/api/am/probe',
        headers: { authorization: basic('admin', 'nope-nope') },
      });
      assert.equal(wrong.statusCode, 401);
      assert.doesNotMatch(wrong.body, /nope-nope/);

      await h.ctx.users.create('sam', 'sam-password-1', ['subscriber']);
      const forbidden = await h.app.inject({
        method: 'GET',
        url: '/api/am/probe',
        headers: { authorization: basic('sam', 'sam-password-1') },
      });
      assert.equal(forbidden.statusCode, 403);
      assert.equal(forbidden.json().errorCode, 'INSUFFICIENT_SCOPE');
      const sub = await h.app.inject({
        method: 'GET',
        url: '/api/am/probe-subscriber',
        headers: { authorization: basic('sam', 'sam-password-1') },
      });
      assert.equal(sub.statusCode, 200);

      // Three wrong passwords: the account is slowed down, even the right password waits.
      for (let i = 0; i < 3; i++) {
        await h.app.inject({
          method: 'GET',
          url: '/api/am/probe-subscriber',
          headers: { authorization: basic('sam', 'wrong-pass') },
        });
      }
      const slowed = await h.app.inject({
        method: 'GET',
        url: '/api/am/probe-subscriber',
        headers: { authorization: basic('sam', 'sam-password-1') },
      });
      assert.equal(slowed.statusCode, 429);
      assert.equal(slowed.json().errorCode, 'TOO_MANY_ATTEMPTS');

      const missing = await h.app.inject({ method: 'GET', url: '/api/am/nothing-here' });
      assert.equal(missing.statusCode, 404);
    } finally {
      await h.close();
    }
  });
}

for (const d of await testDialects()) {
  test(`user routes on ${d.name}: admin CRUD, sign-up, validation`, async () => {
    const { userRoutes } = await import('./index.js');
    const h = await createHarness(await d.open(), [userRoutes()]);
    const auth = { authorization: basic(ADMIN.username, ADMIN.password) };
    try {
      const bad = await h.app.inject({
        method: 'POST',
        url: '/api/am/admin/v4/users',
        headers: auth,
        payload: { username: 'x', password: 'short', roles: ['subscriber'] },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().errorCode, 'VALIDATION_FAILED');
      const badRole = await h.app.inject({
        method: 'POST',
        url: '/api/am/admin/v4/users',
        headers: auth,
        payload: { username: 'x', password: 'long-enough-1', roles: ['root'] },
      });
      assert.equal(badRole.statusCode, 400);
      assert.equal(await h.ctx.users.get('x'), undefined, 'nothing created');
      const ok = await h.app.inject({
        method: 'POST',
        url: '/api/am/admin/v4/users',
        headers: auth,
        payload: { username: 'pub', password: 'long-enough-1', roles: ['publisher'] },
      });
      assert.equal(ok.statusCode, 201);
      assert.deepEqual(Object.keys(ok.json()).sort(), ['createdTime', 'email', 'roles', 'username']);
      const dup = await h.app.inject({
        method: 'POST',
        url: '/api/am/admin/v4/users',
        headers: auth,
        payload: { username: 'pub', password: 'long-enough-1', roles: ['publisher'] },
      });
      assert.equal(dup.statusCode, 409);
      const pubList = await h.app.inject({
        method: 'GET',
        url: '/api/am/admin/v4/users',
        headers: { authorization: basic('pub', 'long-enough-1') },
      });
      assert.equal(pubList.statusCode, 403, 'a publisher is not an admin');
      const su = await h.app.inject({
        method: 'POST',
        url: '/api/am/devportal/v3/sign-up',
        payload: { username: 'dev1', password: 'dev1-password' },
      });
      assert.equal(su.statusCode, 201);
      assert.deepEqual(su.json().roles, ['subscriber']);
      assert.doesNotMatch(su.body, /dev1-password/);
      const me = await h.app.inject({
        method: 'GET',
        url: '/api/am/devportal/v3/me',
        headers: { authorization: basic('dev1', 'dev1-password') },
      });
      assert.equal(me.json().username, 'dev1');
      assert.ok(me.json().scopes.includes('apim:subscribe'));
      assert.ok(!me.json().scopes.includes('apim:api_create'));
    } finally {
      await h.close();
    }
  });
}
