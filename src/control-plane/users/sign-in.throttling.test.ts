import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { fakeClock } from '../../core/index.js';
import { openStore, type Store } from '../../store/index.js';
import { createUserService, type SignInResult } from './user-service.js';

const OWNER = { ip: '198.51.100.2', tls: true };
const ATTACKER = { ip: '203.0.113.7', tls: true };
const PASSWORD = 'owner-password-1';

async function sqliteStore(): Promise<Store> {
  const store = await openStore({
    type: 'sqlite',
    url: join(mkdtempSync(join(tmpdir(), 'portico-signin-')), 'p.db'),
  });
  await store.migrate();
  return store;
}

/** A logger whose JSON lines land in `lines`. */
function capturingLogger(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

async function setup(opts: { allowInsecureAuth?: boolean } = {}) {
  const store = await sqliteStore();
  const clock = fakeClock();
  const { logger, lines } = capturingLogger();
  const users = createUserService(store, clock, { logger, ...opts });
  await users.create('admin', PASSWORD, ['admin']);
  return { store, clock, users, lines };
}

const retryOf = (r: SignInResult): number => {
  assert.equal(r.ok, false);
  assert.ok(!r.ok && r.reason === 'throttled', `expected throttled, got ${JSON.stringify(r)}`);
  return r.retryAfterMs;
};

test('an attacker sending one wrong password per lock period never locks the owner out', async () => {
  const { store, clock, users } = await setup();
  try {
    // The attacker burns the free attempts, then keeps exactly one wrong password per lock period going.
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(await users.signIn('admin', 'guess-guess', ATTACKER), {
        ok: false,
        reason: 'invalid',
      });
    }
    for (let round = 0; round < 8; round++) {
      const owner = await users.signIn('admin', PASSWORD, OWNER);
      assert.equal(owner.ok, true, `round ${round}: the owner was refused: ${JSON.stringify(owner)}`);
      clock.advance(retryOf(await users.signIn('admin', 'guess-guess', ATTACKER)));
      assert.deepEqual(await users.signIn('admin', 'guess-guess', ATTACKER), {
        ok: false,
        reason: 'invalid',
      });
    }
  } finally {
    await store.close();
  }
});

test('the attacker address backs off exponentially, and the right password from it waits too', async () => {
  const { store, clock, users } = await setup();
  try {
    for (let i = 0; i < 3; i++) await users.signIn('admin', 'guess-guess', ATTACKER);
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const wait = retryOf(await users.signIn('admin', 'guess-guess', ATTACKER));
      delays.push(wait);
      clock.advance(wait);
      await users.signIn('admin', 'guess-guess', ATTACKER);
    }
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000]);
    // Same address, right password: refused while its backoff runs (the owner's own address is not).
    retryOf(await users.signIn('admin', PASSWORD, ATTACKER));
    assert.equal((await users.signIn('admin', PASSWORD, OWNER)).ok, true);
    clock.advance(32_000);
    assert.equal((await users.signIn('admin', PASSWORD, ATTACKER)).ok, true);
    // A success clears that (user, address) pair: the next wrong password is free again.
    assert.deepEqual(await users.signIn('admin', 'guess-guess', ATTACKER), { ok: false, reason: 'invalid' });
    assert.equal((await users.signIn('admin', PASSWORD, ATTACKER)).ok, true);
  } finally {
    await store.close();
  }
});

test('one address spraying many user names is slowed down per address', async () => {
  const { store, clock, users } = await setup();
  try {
    // Unknown and known names count alike, so throttling does not reveal which names exist.
    for (let i = 0; i < 20; i++) {
      const r = await users.signIn(`user${i}`, 'guess-guess', ATTACKER);
      assert.deepEqual(r, { ok: false, reason: 'invalid' }, `attempt ${i}`);
    }
    const wait = retryOf(await users.signIn('someone-else', 'guess-guess', ATTACKER));
    assert.equal(wait, 1000);
    retryOf(await users.signIn('admin', PASSWORD, ATTACKER));
    // Another address is not affected.
    assert.equal((await users.signIn('admin', PASSWORD, OWNER)).ok, true);
    clock.advance(wait);
    assert.equal((await users.signIn('admin', PASSWORD, ATTACKER)).ok, true);
  } finally {
    await store.close();
  }
});

test('IPv6 addresses of one /64 share a counter; IPv4-mapped addresses count as IPv4', async () => {
  const { store, users } = await setup();
  try {
    for (let i = 1; i <= 3; i++) {
      await users.signIn('admin', 'guess-guess', { ip: `2001:db8:1:2::${i.toString(16)}`, tls: true });
    }
    retryOf(await users.signIn('admin', PASSWORD, { ip: '2001:db8:1:2:ffff::9', tls: true }));
    assert.equal((await users.signIn('admin', PASSWORD, { ip: '2001:db8:1:3::1', tls: true })).ok, true);

    for (let i = 0; i < 3; i++)
      await users.signIn('admin', 'guess-guess', { ip: '::ffff:192.0.2.9', tls: true });
    retryOf(await users.signIn('admin', PASSWORD, { ip: '192.0.2.9', tls: true }));
  } finally {
    await store.close();
  }
});

test('concurrent wrong passwords cannot exceed the free attempts', async () => {
  const { store, users } = await setup();
  try {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => users.signIn('admin', 'guess-guess', ATTACKER)),
    );
    const verified = results.filter((r) => !r.ok && r.reason === 'invalid').length;
    const throttled = results.filter((r) => !r.ok && r.reason === 'throttled').length;
    assert.equal(verified, 3);
    assert.equal(throttled, 7);
  } finally {
    await store.close();
  }
});

test('concurrent correct passwords are never refused (scripts calling with Basic auth in parallel)', async () => {
  const { store, users } = await setup();
  try {
    const results = await Promise.all(
      Array.from({ length: 12 }, () => users.signIn('admin', PASSWORD, OWNER)),
    );
    assert.deepEqual(
      results.map((r) => r.ok),
      results.map(() => true),
    );
  } finally {
    await store.close();
  }
});

test('a waiting sign-in is woken by its own network only: heavy sign-in traffic elsewhere does not refuse it', async () => {
  const { store, users } = await setup();
  try {
    const others = Array.from({ length: 150 }, (_, i) =>
      users.signIn(`user-${i}`, 'not-the-password', { ip: `192.0.2.${1 + (i % 200)}`, tls: true }),
    );
    const owner = Array.from({ length: 4 }, () => users.signIn('admin', PASSWORD, OWNER));
    const results = await Promise.all(owner);
    await Promise.all(others);
    assert.deepEqual(
      results.map((r) => r.ok),
      [true, true, true, true],
    );
  } finally {
    await store.close();
  }
});

test('failures are logged with user name, client IP and reason, never the password', async () => {
  const { store, users, lines } = await setup();
  try {
    await users.signIn('admin', 'secret-guess-1', ATTACKER);
    await users.signIn('nobody', 'secret-guess-2', ATTACKER);
    await users.signIn('admin', 'secret-guess-3', ATTACKER);
    await users.signIn('admin', 'secret-guess-4', ATTACKER);
    await users.signIn('admin', 'secret-guess-5', ATTACKER);
    await users.signIn('admin', PASSWORD, OWNER);
    const refused = lines.filter((l) => l.msg === 'sign-in refused');
    assert.deepEqual(
      refused.map((l) => [l.username, l.clientIp, l.reason, l.level]),
      [
        ['admin', ATTACKER.ip, 'wrong-password', 30],
        ['nobody', ATTACKER.ip, 'unknown-user', 30],
        ['admin', ATTACKER.ip, 'wrong-password', 30],
        // The third failure of the pair starts the backoff: a warning, with how long it lasts.
        ['admin', ATTACKER.ip, 'wrong-password', 40],
        ['admin', ATTACKER.ip, 'throttled', 30],
      ],
    );
    assert.equal(refused[3]?.lockedForMs, 1000);
    assert.equal(refused[4]?.retryAfterMs, 1000);
    const all = JSON.stringify(lines);
    assert.doesNotMatch(all, /secret-guess|owner-password/);
  } finally {
    await store.close();
  }
});

test('sign-in over plain HTTP from a non-loopback address is refused unless allowed', async () => {
  const { store, users } = await setup();
  try {
    const remotePlain = { ip: '192.0.2.10', tls: false };
    assert.deepEqual(await users.signIn('admin', PASSWORD, remotePlain), {
      ok: false,
      reason: 'insecure-transport',
    });
    assert.equal((await users.signIn('admin', PASSWORD, { ip: '127.0.0.1', tls: false })).ok, true);
    assert.equal((await users.signIn('admin', PASSWORD, { ip: '::1', tls: false })).ok, true);
    assert.equal((await users.signIn('admin', PASSWORD, { ip: '::ffff:127.0.0.1', tls: false })).ok, true);
    assert.equal((await users.signIn('admin', PASSWORD, { ip: '192.0.2.10', tls: true })).ok, true);
  } finally {
    await store.close();
  }
  const allowed = await setup({ allowInsecureAuth: true });
  try {
    assert.equal((await allowed.users.signIn('admin', PASSWORD, { ip: '192.0.2.10', tls: false })).ok, true);
  } finally {
    await allowed.store.close();
  }
});
