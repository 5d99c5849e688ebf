import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { ADMIN, basic, createHarness, type Harness } from '../../../test/support/control-plane-harness.js';
import { devportalRouteModules } from '../devportal/index.js';
import { queueExpiringCredentialEvents } from './webhook-expiry-job.js';
import { verifySignature } from './webhook-signature.js';
import { webhookRoutes } from './webhook-routes.js';
import { harnessDelivery } from './test-support/harness-delivery.js';
import { startWebhookReceiver } from './test-support/webhook-receiver.js';

const DAY = 86_400_000;
const DP = '/api/am/devportal/v3';
const auth = { authorization: basic(ADMIN.username, ADMIN.password) };
type FakeClock = Harness['clock'] & { advance(ms: number): void };

async function call(h: Harness, method: 'POST' | 'GET', url: string, payload?: object) {
  const res = await h.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
  assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
  return (res.body === '' ? {} : res.json()) as Record<string, unknown>;
}

for (const d of await testDialects()) {
  test(`expiring events come from a fake clock: once per (key, threshold), the smallest when several apply (${d.name})`, async () => {
    const toml = '[webhooks]\nallow_http_loopback = true\nexpiring_days = [7, 1]\n';
    const h = await createHarness(await d.open(), [...devportalRouteModules, webhookRoutes], {
      toml,
      fakeTime: true,
    });
    const clock = h.clock as FakeClock;
    const receiver = await startWebhookReceiver();
    const delivery = harnessDelivery(h);
    const queue = () =>
      queueExpiringCredentialEvents({
        store: h.store,
        clock,
        outbox: h.ctx.webhooks,
        thresholdsDays: [7, 1],
      });
    try {
      const hook = await call(h, 'POST', '/api/am/admin/v4/webhooks', {
        url: receiver.url,
        events: ['apikey.expiring'],
      });
      const app = await call(h, 'POST', `${DP}/applications`, {
        name: 'ExpApp',
        throttlingPolicy: 'Unlimited',
      });
      const keys = `${DP}/applications/${String(app.applicationId)}/api-keys/PRODUCTION`;
      const key = async (days: number) =>
        (await call(h, 'POST', `${keys}/generate`, { validityPeriod: days * 86_400 })) as {
          apikey: string;
          keyUUID: string;
        };
      const start = clock.now();
      const tenDays = await key(10);
      const halfDay = await key(0.5);
      const revoked = await key(5);
      await call(h, 'POST', `${keys}/revoke`, { apikey: revoked.apikey });

      assert.equal(await queue(), 1, 'the 12-hour key: one event (1 day), not two');
      assert.equal(await queue(), 0, 'nothing twice');
      clock.advance(3.5 * DAY);
      assert.equal(await queue(), 1, 'the 10-day key crossed 7 days');
      clock.advance(3 * DAY);
      assert.equal(await queue(), 0);
      clock.advance(3 * DAY);
      assert.equal(await queue(), 1, 'the 10-day key crossed 1 day');
      assert.equal(await queue(), 0);

      await delivery.dispatcher.pump();
      await receiver.nth(3);
      const bodies = receiver.received.map((r) => {
        const t = Number(/t=(\d+)/.exec(String(r.headers['portico-signature']))![1]);
        assert.ok(verifySignature(String(hook.secret), String(r.headers['portico-signature']), r.body, t));
        // Signed at the (fake) time of sending: past the start of the test, days ahead of the real clock.
        assert.ok(t >= Math.floor(start / 1000) && t <= Math.floor(clock.now() / 1000));
        return JSON.parse(r.body) as {
          type: string;
          data: { target: { id: string }; thresholdDays: number; expiresAt: string };
        };
      });
      assert.deepEqual(
        bodies.map((b) => [b.type, b.data.target.id, b.data.thresholdDays]).sort(),
        [
          ['apikey.expiring', halfDay.keyUUID, 1],
          ['apikey.expiring', tenDays.keyUUID, 1],
          ['apikey.expiring', tenDays.keyUUID, 7],
        ].sort(),
      );
      assert.ok(!receiver.received.some((r) => r.body.includes(revoked.keyUUID)), 'a revoked key never');

      // Two control planes checking at once: the notice row lets one of them queue the event.
      const racing = await key(2);
      const counts = await Promise.all([queue(), queue(), queue()]);
      assert.equal(
        counts.reduce((a, b) => a + b, 0),
        1,
      );
      await delivery.dispatcher.pump();
      const log = await call(h, 'GET', `/api/am/admin/v4/webhooks/${String(hook.id)}/deliveries?limit=100`);
      assert.equal(log.count, 4);
      await receiver.nth(4);
      assert.ok(receiver.received[3]!.body.includes(racing.keyUUID));
    } finally {
      await delivery.close();
      await receiver.close();
      await h.close();
    }
  });
}
