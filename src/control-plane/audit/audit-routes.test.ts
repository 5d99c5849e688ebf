import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { basic, createHarness, type Harness } from '../../../test/support/control-plane-harness.js';
import { userRoutes } from '../users/user-routes.js';
import pino from 'pino';
import { auditRoutes } from './audit-routes.js';
import { SYSTEM_ACTOR } from './audit-log.js';
import { startAuditPruner } from './audit-pruner.js';
import { adminAuth, ADMIN_API } from './test-support/audit-scenario.js';

const URL_ = `${ADMIN_API}/audit-events`;
const get = (h: Harness, query: string, headers: Record<string, string> = adminAuth) =>
  h.app.inject({ url: `${URL_}${query}`, headers });

/**
 * 30 events one second apart: deny policies u00..u29 created (or, every third, deleted) by admin (even) or by
 * `system` (odd, no client IP); the last one failed. The harness's own admin account (`user.created` by `system`)
 * is the 31st, oldest event.
 */
async function seed(h: Harness): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const n = String(i).padStart(2, '0');
    await h.ctx.audit.record({
      action: i % 3 === 0 ? 'deny-policy.deleted' : 'deny-policy.created',
      actor: i % 2 ? { name: 'system', clientIp: null } : { name: 'admin', clientIp: '127.0.0.1' },
      target: { type: 'deny-policy', id: `u${n}`, name: `u${n}` },
      ...(i === 29 ? { failure: 'wrong-password' } : {}),
    });
    (h.clock as unknown as { advance(ms: number): void }).advance(1000);
  }
}

for (const d of await testDialects()) {
  test(`GET /audit-events on ${d.name}: paging, filters, admin only, bad filters are 400`, async () => {
    const h = await createHarness(await d.open(), [userRoutes(), auditRoutes], { fakeTime: true });
    try {
      const t0 = h.clock.now();
      await seed(h);

      const first = await get(h, '?limit=10');
      assert.equal(first.statusCode, 200, first.body);
      const body = first.json();
      assert.equal(body.count, 10);
      assert.deepEqual(
        body.list.map((e: { target: { id: string } }) => e.target.id),
        ['u29', 'u28', 'u27', 'u26', 'u25', 'u24', 'u23', 'u22', 'u21', 'u20'],
      );
      assert.deepEqual(body.pagination, {
        offset: 0,
        limit: 10,
        total: 31,
        next: `${URL_}?limit=10&offset=10`,
        previous: '',
      });
      const e29 = body.list[0];
      assert.deepEqual(Object.keys(e29).sort(), [
        'action',
        'actor',
        'clientIp',
        'details',
        'id',
        'outcome',
        'reason',
        'target',
        'time',
      ]);
      assert.equal(e29.outcome, 'failure');
      assert.equal(e29.reason, 'wrong-password');
      assert.equal(e29.time, t0 + 29_000);

      const last = (await get(h, '?limit=10&offset=25')).json();
      assert.equal(last.count, 6);
      assert.equal(last.pagination.next, '');
      assert.equal(last.pagination.previous, `${URL_}?limit=10&offset=15`);

      const byActor = (await get(h, '?actor=system&limit=100')).json();
      assert.equal(byActor.pagination.total, 16, 'the 15 seeded and the admin account');
      assert.ok(
        byActor.list.every(
          (e: { actor: string; clientIp: null }) => e.actor === 'system' && e.clientIp === null,
        ),
      );
      const byAction = (await get(h, '?action=deny-policy.deleted&limit=3')).json();
      assert.equal(byAction.pagination.total, 10);
      assert.equal(byAction.pagination.next, `${URL_}?limit=3&offset=3&action=deny-policy.deleted`);
      assert.equal((await get(h, '?action=deny-policy.*')).json().pagination.total, 30, 'a family');
      assert.equal((await get(h, '?action=user.created')).json().list[0].target.id, 'admin');
      assert.equal((await get(h, '?action=apikey.*')).json().pagination.total, 0, 'a family with no events');
      const byTarget = (await get(h, '?targetType=deny-policy&targetId=u07')).json();
      assert.deepEqual(
        byTarget.list.map((e: { target: { id: string } }) => e.target.id),
        ['u07'],
      );
      assert.equal((await get(h, '?outcome=failure')).json().pagination.total, 1);
      const window = (await get(h, `?from=${t0 + 10_000}&to=${t0 + 15_000}`)).json();
      assert.deepEqual(
        window.list.map((e: { target: { id: string } }) => e.target.id),
        ['u14', 'u13', 'u12', 'u11', 'u10'],
      );
      const iso = (await get(h, `?from=${new Date(t0 + 28_000).toISOString()}`)).json();
      assert.equal(iso.pagination.total, 2, 'ISO-8601 times too');

      // Refusals: unknown action, bad times, from after to, unknown parameter, bad paging.
      for (const [q, code] of [
        ['?action=apikey.stolen', 'INVALID_AUDIT_FILTER'],
        ['?from=yesterday', 'INVALID_AUDIT_FILTER'],
        ['?to=2026-13-01T00:00:00Z', 'INVALID_AUDIT_FILTER'],
        [`?from=${t0 + 2}&to=${t0 + 1}`, 'INVALID_AUDIT_FILTER'],
        ['?password=x', 'VALIDATION_FAILED'],
        ['?limit=0', 'VALIDATION_FAILED'],
        ['?outcome=maybe', 'VALIDATION_FAILED'],
      ] as const) {
        const res = await get(h, q);
        assert.equal(res.statusCode, 400, `${q}: ${res.body}`);
        assert.equal(res.json().errorCode, code, q);
        if (code === 'INVALID_AUDIT_FILTER') assert.equal(res.json().code, 900940);
      }

      // Admin only: a subscriber (or a creator) is 403, no credentials 401.
      await h.ctx.users.create('sam', 'sam-password-1', ['subscriber', 'creator', 'publisher']);
      const sam = await get(h, '', { authorization: basic('sam', 'sam-password-1') });
      assert.equal(sam.statusCode, 403, sam.body);
      assert.equal(sam.json().errorCode, 'INSUFFICIENT_SCOPE');
      assert.equal((await get(h, '', {})).statusCode, 401);
    } finally {
      await h.close();
    }
  });
}

test('retention: the pruner deletes events older than [audit] retention_days, 0 keeps them all', async () => {
  const [sqlite] = await testDialects();
  const h = await createHarness(await sqlite!.open(), [auditRoutes], { fakeTime: true });
  try {
    const clock = h.clock as unknown as { advance(ms: number): void };
    const day = 86_400_000;
    const record = (id: string) =>
      h.ctx.audit.record({ action: 'user.deleted', actor: SYSTEM_ACTOR, target: { type: 'user', id } });
    await record('old');
    clock.advance(10 * day);
    await record('recent');
    clock.advance(5 * day);
    const ids = async () =>
      (await get(h, '?action=user.deleted')).json().list.map((e: { target: { id: string } }) => e.target.id);
    const logger = pino({ level: 'silent' });
    await startAuditPruner({
      audit: h.ctx.audit,
      clock: h.clock,
      logger,
      retentionDays: 0,
      intervalMs: 60_000,
    })();
    assert.deepEqual(await ids(), ['recent', 'old'], 'retention 0 keeps everything');
    const stop = startAuditPruner({
      audit: h.ctx.audit,
      clock: h.clock,
      logger,
      retentionDays: 7,
      intervalMs: 60_000,
    });
    await stop(); // waits for the first run, which starts at once
    assert.deepEqual(await ids(), ['recent'], '15 days old is past 7 days; 5 days old is kept');
  } finally {
    await h.close();
  }
});
