import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { LocalPermitStore } from '../../background/local-permit-store.js';
import { LeaseCounter } from './lease-counter.js';
import { leaseCap, type PermitGrant, type PermitRequest, type PermitSource } from './permit-source.js';

const logger = pino({ level: 'silent' });
const W = 60_000;
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const settle = () => new Promise((r) => setImmediate(r));

/** A real in-memory store whose answers arrive only when the test lets them (a refill "in flight"). */
class HeldStore implements PermitSource {
  readonly store = new LocalPermitStore();
  readonly held: (() => void)[] = [];
  readonly requests: PermitRequest[] = [];
  acquire(req: PermitRequest): Promise<PermitGrant> {
    this.requests.push(req);
    return new Promise((resolve) => this.held.push(() => resolve(this.store.acquireNow(req))));
  }
  release(key: string, start: number, windowMs: number, n: number): void {
    this.store.release(key, start, windowMs, n);
  }
  async answerAll(): Promise<void> {
    for (const f of this.held.splice(0)) f();
    await settle();
  }
}

const counter = (source: PermitSource, holders: number, idleReturnMs = 60_000) =>
  new LeaseCounter({ source, holders, logger, idleReturnMs, now: () => T0 });

describe('leaseCap', () => {
  it('is 3 % of what remains split between holders, at least 1, never more than remains', () => {
    assert.equal(leaseCap(10_000, 4), 75);
    assert.equal(leaseCap(60, 4), 1);
    assert.equal(leaseCap(1, 1), 1);
    assert.equal(leaseCap(0, 1), 0);
    assert.equal(leaseCap(-3, 1), 0);
  });
});

describe('LeaseCounter', () => {
  it('admits one request on credit before the store first answers, then only with permits in hand', async () => {
    const s = new HeldStore();
    const c = counter(s, 4);
    assert.equal(c.hit('k', 60, W, T0), 0, 'cold: one request on credit');
    assert.equal(c.hit('k', 60, W, T0), W, 'refill in flight, credit floor(5 % × 60 / 4) = 0: denied');
    assert.equal(s.requests.length, 1, 'one refill in flight at a time');
    await s.answerAll();
    assert.deepEqual(s.requests[0], {
      key: 'k',
      limit: 60,
      windowMs: W,
      windowStart: T0,
      want: 1,
      debt: 1,
      holders: 4,
    });
    assert.equal(c.hit('k', 60, W, T0 + 1), 0, 'the granted permit');
    c.close();
  });

  it('lets credit reach floor(5 % × limit / holders) while a refill is in flight, charged with the next one', async () => {
    const s = new HeldStore();
    const c = counter(s, 2);
    c.hit('k', 1000, W, T0);
    await s.answerAll(); // heard; 1 permit granted
    assert.equal(c.hit('k', 1000, W, T0), 0); // uses it, asks again
    let admitted = 0;
    for (let i = 0; i < 40; i++) if (c.hit('k', 1000, W, T0) === 0) admitted++;
    assert.equal(admitted, 25, 'credit = floor(0.05 × 1000 / 2)');
    await s.answerAll();
    c.hit('k', 1000, W, T0);
    assert.equal(s.requests.at(-1)?.debt, 25);
    c.close();
  });

  it('four holders of one store under a burst admit exactly the limit', async () => {
    const store = new LocalPermitStore();
    const holders = [0, 1, 2, 3].map(() => counter(store, 4));
    let admitted = 0;
    for (let round = 0; round < 100; round++) {
      for (const h of holders)
        for (let i = 0; i < 5; i++) if (h.hit('k', 60, W, T0 + round) === 0) admitted++;
      await settle();
    }
    assert.equal(admitted, 60);
    for (const h of holders) h.close();
  });

  it('keeps the admitted count within ±5 % of a large limit with adapting leases', async () => {
    const store = new LocalPermitStore();
    const holders = [0, 1, 2, 3].map(() => counter(store, 4));
    let admitted = 0;
    for (let round = 0; round < 400; round++) {
      for (const h of holders)
        for (let i = 0; i < 50; i++) if (h.hit('k', 5000, W, T0 + round) === 0) admitted++;
      await settle();
    }
    assert.ok(admitted >= 4750 && admitted <= 5250, `admitted ${admitted} of 5000`);
    for (const h of holders) h.close();
  });

  it('asks for larger leases while they drain fast', async () => {
    const s = new HeldStore();
    const c = counter(s, 1);
    c.hit('x', 5000, W, T0);
    await s.answerAll();
    for (let i = 0; i < 4; i++) {
      while (c.hit('x', 5000, W, T0) === 0 && s.held.length === 0);
      await s.answerAll();
    }
    const wants = s.requests.map((r) => r.want);
    assert.deepEqual(wants, [1, 2, 4, 8, 16]);
    c.close();
  });

  it('denies once the window is used up, with the time to its end, and starts afresh in the next window', async () => {
    const store = new LocalPermitStore();
    const c = counter(store, 1);
    let admitted = 0;
    for (let i = 0; i < 10; i++) {
      if (c.hit('k', 3, W, T0 + 10_000) === 0) admitted++;
      await settle();
    }
    assert.equal(admitted, 3);
    assert.equal(c.hit('k', 3, W, T0 + 10_000), 50_000);
    assert.equal(c.hit('k', 3, W, T0 + W), 0);
    c.close();
  });

  it('gives back the permits of an idle key, so another holder can use them', async () => {
    const store = new LocalPermitStore();
    const a = counter(store, 1, 100);
    const b = counter(store, 1, 100);
    for (let i = 0; i < 40; i++) {
      a.hit('k', 100, W, T0);
      await settle();
    }
    // a holds a lease; b takes what remains.
    let fromB = 0;
    for (let i = 0; i < 100; i++) {
      if (b.hit('k', 100, W, T0) === 0) fromB++;
      await settle();
    }
    assert.ok(fromB < 60, `b got ${fromB} while a held permits`);
    a.sweep(T0 + 200);
    b.sweep(T0 + 1); // b is not idle
    let more = 0;
    for (let i = 0; i < 100; i++) {
      if (b.hit('k', 100, W, T0 + 300) === 0) more++;
      await settle();
    }
    assert.equal(40 + fromB + more, 100, 'every permit is used once: none lost, none twice');
    a.close();
    b.close();
  });
});
