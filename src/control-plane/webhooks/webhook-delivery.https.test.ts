import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { adminBasic, createApplication, fullHarness } from '../../../test/support/full-control-plane.js';
import { verifySignature } from './webhook-signature.js';
import { harnessDelivery } from './test-support/harness-delivery.js';
import { startWebhookReceiver } from './test-support/webhook-receiver.js';

const ADMIN_WEBHOOKS = '/api/am/admin/v4/webhooks';
const DP = '/api/am/devportal/v3';
const TOML = '[webhooks]\nallow_internal_addresses = true\npoll_interval_ms = 60000\n';

for (const d of await testDialects()) {
  test(`a revoke through REST reaches a real HTTPS receiver, signed, within 2 s (${d.name})`, async () => {
    const h = await fullHarness(await d.open(), { toml: TOML });
    const receiver = await startWebhookReceiver({ https: true });
    // The poll is a minute: only the wake-up after the revoke's commit can deliver within 2 s.
    const delivery = harnessDelivery(h, [receiver.certificatePem!]);
    try {
      const auth = { authorization: adminBasic() };
      const created = await h.app.inject({
        method: 'POST',
        url: ADMIN_WEBHOOKS,
        headers: auth,
        payload: { url: receiver.url, events: ['apikey.revoked'], description: 'key revocations' },
      });
      assert.equal(created.statusCode, 201, created.body);
      const endpoint = created.json() as { id: string; secret: string; secretHint: string };
      assert.match(endpoint.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
      assert.equal(endpoint.secretHint, endpoint.secret.slice(-4));

      const appId = await createApplication(h, 'HookApp');
      const keys = `${DP}/applications/${appId}/api-keys/PRODUCTION`;
      const gen = await h.app.inject({
        method: 'POST',
        url: `${keys}/generate`,
        headers: auth,
        payload: { validityPeriod: 3600 },
      });
      assert.equal(gen.statusCode, 200, gen.body);
      const { apikey, keyUUID } = gen.json() as { apikey: string; keyUUID: string };

      const t0 = performance.now();
      const revoked = await h.app.inject({
        method: 'POST',
        url: `${keys}/revoke`,
        headers: auth,
        payload: { apikey },
      });
      assert.equal(revoked.statusCode, 200, revoked.body);
      const got = await receiver.nth(1, 2_000);
      assert.ok(got.at - t0 < 2_000, `delivered ${Math.round(got.at - t0)} ms after the revoke`);

      // Only the subscribed type came (the key's creation was an apikey.created, not subscribed).
      const body = JSON.parse(got.body) as {
        id: string;
        type: string;
        occurredAt: string;
        data: { target: { type: string; id: string }; details: Record<string, unknown> };
      };
      assert.equal(body.type, 'apikey.revoked');
      assert.equal(body.data.target.type, 'api-key');
      assert.equal(body.data.target.id, keyUUID);
      assert.equal(body.data.details.application, appId);
      assert.equal(got.headers['content-type'], 'application/json');
      assert.equal(got.headers['portico-event-id'], body.id);
      assert.equal(got.headers['portico-event-type'], 'apikey.revoked');
      assert.equal(got.headers['portico-delivery-attempt'], '1');
      assert.match(String(got.headers['user-agent']), /^Portico-Webhooks\//);
      const signature = String(got.headers['portico-signature']);
      assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
      const now = Math.floor(Date.now() / 1000);
      assert.ok(verifySignature(endpoint.secret, signature, got.body, now), 'the signature verifies');
      assert.ok(!verifySignature(endpoint.secret, signature, `${got.body} `, now), 'a changed body does not');
      assert.ok(!verifySignature(`${endpoint.secret}x`, signature, got.body, now), 'another secret does not');
      // The key value and the signing secret are nowhere in what was sent.
      assert.ok(!got.body.includes(apikey) && !got.body.includes(endpoint.secret));

      // The delivery log says so, without the secret.
      await delivery.dispatcher.pump();
      const log = await h.app.inject({ url: `${ADMIN_WEBHOOKS}/${endpoint.id}/deliveries`, headers: auth });
      assert.equal(log.statusCode, 200, log.body);
      const entries = (log.json() as { list: { eventId: string; status: string; attemptLog: unknown[] }[] })
        .list;
      assert.equal(entries.length, 1);
      assert.equal(entries[0]!.eventId, body.id);
      assert.equal(entries[0]!.status, 'succeeded');
      assert.equal(entries[0]!.attemptLog.length, 1);
      assert.ok(!log.body.includes(endpoint.secret));
      assert.equal(receiver.received.length, 1, 'nothing else was sent');
    } finally {
      await delivery.close();
      await receiver.close();
      await h.close();
    }
  });

  test(`an untrusted receiver certificate is a failed attempt, never a delivery (${d.name})`, async () => {
    const h = await fullHarness(await d.open(), { toml: `${TOML}max_attempts = 1\n` });
    const receiver = await startWebhookReceiver({ https: true });
    const delivery = harnessDelivery(h);
    try {
      const auth = { authorization: adminBasic() };
      const created = await h.app.inject({
        method: 'POST',
        url: ADMIN_WEBHOOKS,
        headers: auth,
        payload: { url: receiver.url },
      });
      const { id } = created.json() as { id: string };
      const sent = await h.app.inject({ method: 'POST', url: `${ADMIN_WEBHOOKS}/${id}/test`, headers: auth });
      assert.equal(sent.statusCode, 202, sent.body);
      await delivery.dispatcher.pump();
      const log = await h.app.inject({ url: `${ADMIN_WEBHOOKS}/${id}/deliveries`, headers: auth });
      const [entry] = (log.json() as { list: { status: string; lastError: string; lastStatusCode: null }[] })
        .list;
      assert.equal(entry?.status, 'failed');
      assert.equal(entry.lastStatusCode, null);
      assert.match(entry.lastError, /^failed: (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)$/);
      assert.equal(receiver.received.length, 0);
    } finally {
      await delivery.close();
      await receiver.close();
      await h.close();
    }
  });
}
