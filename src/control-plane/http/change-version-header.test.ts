import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { changeKeys, systemClock } from '../../core/index.js';
import { createChangeLog, openStore } from '../../store/index.js';
import { CHANGE_VERSION_HEADER, installChangeVersionHeader } from './change-version-header.js';

/** A Fastify app with the header installed and routes that write (or not) through a real change log on SQLite. */
async function fixture() {
  const store = await openStore({
    type: 'sqlite',
    url: join(mkdtempSync(join(tmpdir(), 'portico-cvh-')), 'portico.db'),
  });
  await store.migrate();
  const changes = createChangeLog(store, systemClock);
  const app = Fastify();
  installChangeVersionHeader(app, changes);
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  app.post('/write/:id', async (request) => {
    const { id } = request.params as { id: string };
    const { versions } = await changes.writeVersioned(async (_trx, record) => {
      record(changeKeys.api(id));
    });
    return { version: versions[0] };
  });
  app.post('/noop', async () => changes.write(async () => 'nothing recorded'));
  app.get('/held', async () => {
    await held;
    return {};
  });
  await app.ready();
  return { app, release, close: () => Promise.all([app.close(), store.close()]) };
}

test('a write answers with the version it created; a request that commits nothing has no header', async () => {
  const f = await fixture();
  try {
    const first = await f.app.inject({ method: 'POST', url: '/write/a' });
    assert.equal(first.headers[CHANGE_VERSION_HEADER], String(first.json().version));
    const second = await f.app.inject({ method: 'POST', url: '/write/b' });
    assert.equal(second.headers[CHANGE_VERSION_HEADER], String(second.json().version));
    assert.ok(second.json().version > first.json().version);
    const noop = await f.app.inject({ method: 'POST', url: '/noop' });
    assert.equal(noop.statusCode, 200);
    assert.equal(noop.headers[CHANGE_VERSION_HEADER], undefined, 'no commit, no header');
  } finally {
    await f.close();
  }
});

test('concurrent writes: each response names a version at or after its own write', async () => {
  const f = await fixture();
  try {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => f.app.inject({ method: 'POST', url: `/write/k${i}` })),
    );
    for (const a of answers) {
      const own = a.json().version as number;
      assert.ok(Number(a.headers[CHANGE_VERSION_HEADER]) >= own, `header covers version ${own}`);
    }
    // A request open while another commits gets the newer version (waiting for it covers nothing less).
    const open = f.app.inject({ method: 'GET', url: '/held' });
    await new Promise((r) => setTimeout(r, 20));
    const w = await f.app.inject({ method: 'POST', url: '/write/late' });
    f.release();
    assert.equal((await open).headers[CHANGE_VERSION_HEADER], String(w.json().version));
  } finally {
    await f.close();
  }
});
