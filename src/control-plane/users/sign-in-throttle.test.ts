import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeClock } from '../../core/index.js';
import { createSignInThrottle, networkOf, type SignInThrottle } from './sign-in-throttle.js';

/** Sends `n` wrong passwords for `user` from `ip`; returns how many were let through to verification. */
function fail(t: SignInThrottle, user: string, ip: string, n = 1): number {
  let verified = 0;
  for (let i = 0; i < n; i++) {
    const g = t.begin(user, ip);
    if (g.allowed === true) {
      g.attempt.failed();
      verified++;
    }
  }
  return verified;
}

test('backoff doubles per failure and stops growing at the maximum', () => {
  const clock = fakeClock();
  const t = createSignInThrottle(clock, { maxDelayMs: 8000 });
  fail(t, 'admin', '203.0.113.7', 3);
  const waits: number[] = [];
  for (let i = 0; i < 6; i++) {
    const g = t.begin('admin', '203.0.113.7');
    assert.equal(g.allowed, false);
    if (g.allowed) return;
    waits.push(g.retryAfterMs);
    clock.advance(g.retryAfterMs);
    assert.equal(fail(t, 'admin', '203.0.113.7'), 1);
  }
  assert.deepEqual(waits, [1000, 2000, 4000, 8000, 8000, 8000]);
});

test('a counter is forgotten after a quiet period', () => {
  const clock = fakeClock();
  const t = createSignInThrottle(clock, { maxDelayMs: 60_000, forgetAfterMs: 3_600_000 });
  fail(t, 'admin', '203.0.113.7', 3);
  clock.advance(3_600_001);
  // All three free attempts are back.
  assert.equal(fail(t, 'admin', '203.0.113.7', 4), 3);
});

test('the tables are bounded: spraying addresses drops the least recently failed counters', () => {
  const clock = fakeClock();
  const overflows: string[] = [];
  const t = createSignInThrottle(clock, {
    maxEntries: 100,
    onOverflow: (table) => overflows.push(table),
  });
  for (let i = 0; i < 5000; i++) {
    clock.advance(1);
    fail(t, 'admin', `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`);
  }
  assert.equal(t.size(), 200);
  // Reported, but at most once a minute (the 5 s of spraying above).
  assert.deepEqual(overflows, ['user', 'address']);
});

test('expired counters are dropped as new failures arrive, without waiting for the bound', () => {
  const clock = fakeClock();
  const t = createSignInThrottle(clock, { maxEntries: 100, maxDelayMs: 1000, forgetAfterMs: 1000 });
  fail(t, 'admin', '192.0.2.1', 3);
  clock.advance(500);
  fail(t, 'old', '192.0.2.2');
  assert.equal(t.size(), 4);
  clock.advance(600);
  // The first pair and address have expired (1,100 ms quiet); the second are 600 ms old and stay.
  fail(t, 'x', '192.0.2.3');
  assert.equal(t.size(), 4);
});

test('a cancelled attempt gives its reservation back', () => {
  const t = createSignInThrottle(fakeClock());
  fail(t, 'admin', '203.0.113.7', 2);
  const g = t.begin('admin', '203.0.113.7');
  assert.ok(g.allowed === true);
  g.attempt.cancelled();
  assert.equal(fail(t, 'admin', '203.0.113.7', 2), 1);
  assert.throws(() => g.attempt.failed(), /settled twice/);
});

test('networkOf: IPv4 as is, IPv4-mapped unwrapped, IPv6 by /64, anything else truncated', () => {
  assert.equal(networkOf('192.0.2.1'), '192.0.2.1');
  assert.equal(networkOf('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(networkOf('2001:db8:0:1:aaaa::1'), '2001:db8:0:1::/64');
  assert.equal(networkOf('2001:DB8:0:1::2'), '2001:db8:0:1::/64');
  assert.equal(networkOf('x'.repeat(500)).length, 64);
});

test('attempts in flight count against the free ones: the next waits, and is let through once one settles well', async () => {
  const t = createSignInThrottle(fakeClock());
  const inFlight = [0, 1, 2].map(() => t.begin('admin', '203.0.113.7'));
  assert.ok(inFlight.every((g) => g.allowed === true));
  const next = t.begin('admin', '203.0.113.7');
  assert.equal(next.allowed, 'wait', 'a fourth concurrent attempt is neither verified nor refused');
  if (next.allowed !== 'wait') return;
  let woken = false;
  void next.settled.then(() => (woken = true));
  const first = inFlight[0];
  if (first?.allowed === true) first.attempt.succeeded();
  await Promise.resolve();
  assert.equal(woken, true);
  assert.equal(t.begin('admin', '203.0.113.7').allowed, true, 'a success frees its slot');
});
