import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects, type TestDialect } from '../../../test/support/dialects.js';
import { ADMIN, basic, createHarness, type Harness } from '../../../test/support/control-plane-harness.js';
import type { WebhookDelivery } from './start-webhook-delivery.js';
import { harnessDelivery } from './test-support/harness-delivery.js';
import { EXCERPT_CHARS } from './webhook-sender.js';
import { webhookRoutes } from './webhook-routes.js';
import type { WebhookDeliveryDto } from './webhook-wire-types.js';
import { startWebhookReceiver, type WebhookReceiver } from './test-support/webhook-receiver.js';

const URL_ = '/api/am/admin/v4/webhooks';
const auth = { authorization: basic(ADMIN.username, ADMIN.password) };

async function setUp(d: TestDialect, extra: string, answers: number[]) {
  const toml = `[webhooks]\nallow_http_loopback = true\nretry_base_delay_ms = 200\npoll_interval_ms = 50\n${extra}`;
  const h = await createHarness(await d.open(), [webhookRoutes], { toml });
  const receiver = await startWebhookReceiver({ answers });
  const delivery = harnessDelivery(h);
  const created = await h.app.inject({
    method: 'POST',
    url: URL_,
    headers: auth,
    payload: { url: receiver.url },
  });
  assert.equal(created.statusCode, 201, created.body);
  const { id } = created.json() as { id: string };
  return { h, receiver, delivery, id };
}

/** The delivery log of `id` once its only delivery is no longer pending. */
async function settledLog(h: Harness, delivery: WebhookDelivery, id: string): Promise<WebhookDeliveryDto> {
  for (let i = 0; i < 100; i++) {
    await delivery.dispatcher.pump();
    const res = await h.app.inject({ url: `${URL_}/${id}/deliveries`, headers: auth });
    assert.equal(res.statusCode, 200, res.body);
    const [entry] = (res.json() as { list: WebhookDeliveryDto[] }).list;
    if (entry && entry.status !== 'pending') return entry;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the delivery stayed pending');
}

async function tearDown(s: { h: Harness; receiver: WebhookReceiver; delivery: WebhookDelivery }) {
  await s.delivery.close();
  await s.receiver.close();
  await s.h.close();
}

for (const d of await testDialects()) {
  test(`a receiver answering 500 then 200 is retried after the backoff; the log shows both attempts (${d.name})`, async () => {
    const s = await setUp(d, '', [500]);
    try {
      const sent = await s.h.app.inject({ method: 'POST', url: `${URL_}/${s.id}/test`, headers: auth });
      assert.equal(sent.statusCode, 202, sent.body);
      const { eventId } = sent.json() as { eventId: string };
      const first = await s.receiver.nth(1);
      const second = await s.receiver.nth(2);
      assert.ok(second.at - first.at >= 190, `retried ${Math.round(second.at - first.at)} ms later`);
      assert.equal(first.headers['portico-delivery-attempt'], '1');
      assert.equal(second.headers['portico-delivery-attempt'], '2');
      // The idempotency id and the body are the same on every attempt.
      assert.equal(second.headers['portico-event-id'], eventId);
      assert.equal(first.headers['portico-event-id'], eventId);
      assert.equal(second.body, first.body);

      const entry = await settledLog(s.h, s.delivery, s.id);
      assert.equal(entry.status, 'succeeded');
      assert.equal(entry.attempts, 2);
      assert.equal(entry.nextAttemptTime, null);
      assert.equal(entry.lastStatusCode, 200);
      assert.equal(entry.lastError, null);
      const [a1, a2] = entry.attemptLog;
      assert.deepEqual(
        entry.attemptLog.map((a) => [a.attempt, a.statusCode, a.error]),
        [
          [1, 500, 'answered 500'],
          [2, 200, null],
        ],
      );
      assert.ok(a2!.time - a1!.time >= 200, 'the second attempt waited retry_base_delay_ms');
      assert.equal(a1!.responseExcerpt!.length, EXCERPT_CHARS, 'only an excerpt of the answer is kept');
      assert.ok(a1!.responseExcerpt!.startsWith('answer 500 '));
      assert.ok(a1!.durationMs >= 0);
      assert.equal(s.receiver.received.length, 2);
    } finally {
      await tearDown(s);
    }
  });

  test(`a receiver that keeps failing gets max_attempts tries, each wait doubling, then failed (${d.name})`, async () => {
    const s = await setUp(d, 'max_attempts = 3\n', [500, 503, 500, 200]);
    try {
      await s.h.app.inject({ method: 'POST', url: `${URL_}/${s.id}/test`, headers: auth });
      const entry = await settledLog(s.h, s.delivery, s.id);
      assert.equal(entry.status, 'failed');
      assert.equal(entry.attempts, 3);
      assert.equal(entry.nextAttemptTime, null);
      assert.deepEqual(
        entry.attemptLog.map((a) => a.statusCode),
        [500, 503, 500],
      );
      const [a1, a2, a3] = entry.attemptLog;
      assert.ok(a2!.time - a1!.time >= 200, 'first wait: the base delay');
      assert.ok(a3!.time - a2!.time >= 400, 'second wait: twice as long');
      await s.delivery.dispatcher.pump();
      assert.equal(s.receiver.received.length, 3, 'a failed delivery is not tried again');
      const failed = await s.h.app.inject({ url: `${URL_}/${s.id}/deliveries?status=failed`, headers: auth });
      assert.equal((failed.json() as { count: number }).count, 1);
      const none = await s.h.app.inject({
        url: `${URL_}/${s.id}/deliveries?status=succeeded`,
        headers: auth,
      });
      assert.equal((none.json() as { count: number }).count, 0);
    } finally {
      await tearDown(s);
    }
  });

  test(`a redirect is not followed: a failed attempt (${d.name})`, async () => {
    const s = await setUp(d, 'max_attempts = 1\n', [302]);
    try {
      await s.h.app.inject({ method: 'POST', url: `${URL_}/${s.id}/test`, headers: auth });
      const entry = await settledLog(s.h, s.delivery, s.id);
      assert.equal(entry.status, 'failed');
      assert.equal(entry.lastStatusCode, 302);
      assert.equal(entry.lastError, 'answered 302; redirects are not followed');
      assert.equal(s.receiver.received.length, 1);
    } finally {
      await tearDown(s);
    }
  });
}
