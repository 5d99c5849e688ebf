import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pgUrl, testDialects } from '../../test/support/dialects.js';
import { openStore, settingsRepository, type StoreOptions } from './index.js';

const loop = new URL('../../test/support/write-loop.ts', import.meta.url).pathname;

async function killDuringWrites(opts: StoreOptions): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', loop, opts.type, opts.url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  while (out.split('\n').length < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  // Only complete lines were acknowledged as committed.
  return out.split('\n').slice(0, -1).map(Number);
}

const dialects = (await testDialects()).map((d) => d.name);

test('kill -9 during writes on SQLite loses no committed write', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'portico-kill-')), 'portico.db');
  const committed = await killDuringWrites({ type: 'sqlite', url: file });
  assert.ok(committed.length >= 100, `child committed ${committed.length} rows before the kill`);
  const store = await openStore({ type: 'sqlite', url: file });
  try {
    const s = settingsRepository(store);
    for (const i of committed) assert.equal(await s.get(`k${i}`), `v${i}`, `row ${i} survived`);
  } finally {
    await store.close();
  }
});

test(
  'kill -9 during writes on PostgreSQL loses no committed write',
  { skip: !dialects.includes('postgres') },
  async () => {
    const name = `portico_kill_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(pgUrl);
    url.pathname = `/${name}`;
    try {
      const committed = await killDuringWrites({ type: 'postgres', url: url.toString() });
      assert.ok(committed.length >= 100);
      const store = await openStore({ type: 'postgres', url: url.toString() });
      try {
        const s = settingsRepository(store);
        for (const i of committed) assert.equal(await s.get(`k${i}`), `v${i}`);
      } finally {
        await store.close();
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  },
);
