import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { ADMIN, basic, createHarness } from '../../../test/support/control-plane-harness.js';
import { userRoutes } from './user-routes.js';

const auth = { authorization: basic(ADMIN.username, ADMIN.password) };
const add = (roles: string[]) => ({
  method: 'POST' as const,
  url: '/api/am/admin/v4/users',
  headers: auth,
  payload: { username: 'gina', password: 'long-enough-1', roles },
});

const [sqlite] = await testDialects();
if (!sqlite) throw new Error('no SQLite dialect');

test('users: a role of the organisation is accepted only when [user_store] custom_roles lists it', async () => {
  const plain = await createHarness(await sqlite.open(), [userRoutes()]);
  try {
    const refused = await plain.app.inject(add(['subscriber', 'gold-partners']));
    assert.equal(refused.statusCode, 400, refused.body);
    assert.match(refused.json().description, /gold-partners.*custom_roles/);
    assert.equal(await plain.ctx.users.get('gina'), undefined, 'nothing created');
  } finally {
    await plain.close();
  }
  const h = await createHarness(await sqlite.open(), [userRoutes()], {
    toml: '[user_store]\ncustom_roles = ["gold-partners"]\n',
  });
  try {
    const ok = await h.app.inject(add(['subscriber', 'gold-partners']));
    assert.equal(ok.statusCode, 201, ok.body);
    assert.deepEqual(ok.json().roles, ['subscriber', 'gold-partners']);
    const me = await h.app.inject({
      method: 'GET',
      url: '/api/am/devportal/v3/me',
      headers: { authorization: basic('gina', 'long-enough-1') },
    });
    assert.deepEqual(me.json().roles, ['subscriber', 'gold-partners']);
    assert.ok(!me.json().scopes.includes('apim:admin'), 'a custom role grants no REST scope');
    assert.ok(me.json().scopes.includes('apim:subscribe'));
    const malformed = await h.app.inject(add(['gold partners']));
    assert.equal(malformed.statusCode, 400);
  } finally {
    await h.close();
  }
});
