import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { adminBasic, createApplication, fullHarness } from '../../../test/support/full-control-plane.js';
import { queueExpiringCredentialEvents } from './webhook-expiry-job.js';
import { verifySignature } from './webhook-signature.js';
import { harnessDelivery } from './test-support/harness-delivery.js';
import { startWebhookReceiver, type ReceivedWebhook } from './test-support/webhook-receiver.js';

const ADMIN_WEBHOOKS = '/api/am/admin/v4/webhooks';
const DP = '/api/am/devportal/v3';
const EVENTS = [
  'client-secret.created',
  'client-secret.rotated',
  'client-secret.revoked',
  'client-secret.expiring',
];
// The poll is a minute: only the wake-up after each commit delivers within 2 s.
const TOML = '[webhooks]\nallow_internal_addresses = true\npoll_interval_ms = 60000\nexpiring_days = [1]\n';

interface Body {
  id: string;
  type: string;
  data: {
    target: { type: string; id: string; name: string | null };
    details?: Record<string, unknown>;
    expiresAt?: string;
    thresholdDays?: number;
  };
}

for (const d of await testDialects()) {
  test(`client-secret created, rotated, revoked and expiring reach a real HTTPS receiver, signed (${d.name})`, async () => {
    const h = await fullHarness(await d.open(), { toml: TOML });
    const receiver = await startWebhookReceiver({ https: true });
    const delivery = harnessDelivery(h, [receiver.certificatePem!]);
    const auth = { authorization: adminBasic() };
    const call = async (url: string, payload: object | undefined, status: number) => {
      const r = await h.app.inject({ method: 'POST', url, headers: auth, ...(payload ? { payload } : {}) });
      assert.equal(r.statusCode, status, `${url}: ${r.body}`);
      return (r.body === '' ? {} : r.json()) as Record<string, unknown>;
    };
    try {
      const endpoint = (await call(ADMIN_WEBHOOKS, { url: receiver.url, events: EVENTS }, 201)) as {
        secret: string;
      };
      const secrets: string[] = [];
      /** The n-th delivery, within 2 s of `t0`, correctly signed, with no secret in it. */
      const nth = async (n: number, t0: number): Promise<Body> => {
        const got: ReceivedWebhook = await receiver.nth(n, 2_000);
        assert.ok(got.at - t0 < 2_000, `delivered ${Math.round(got.at - t0)} ms after the change`);
        const signature = String(got.headers['portico-signature']);
        const now = Math.floor(Date.now() / 1000);
        assert.ok(verifySignature(endpoint.secret, signature, got.body, now), 'the signature verifies');
        assert.ok(!verifySignature(endpoint.secret, signature, `${got.body} `, now));
        for (const s of [...secrets, endpoint.secret])
          assert.ok(!got.body.includes(s), 'no secret in the body');
        const body = JSON.parse(got.body) as Body;
        assert.equal(got.headers['portico-event-type'], body.type);
        assert.equal(got.headers['portico-event-id'], body.id);
        return body;
      };

      const appId = await createApplication(h, 'SecretHookApp');
      let t0 = performance.now();
      const keys = (await call(
        `${DP}/applications/${appId}/generate-keys`,
        { keyType: 'PRODUCTION', grantTypesToBeSupported: ['client_credentials'] },
        200,
      )) as { keyMappingId: string; consumerKey: string; consumerSecret: string };
      secrets.push(keys.consumerSecret);
      const created = await nth(1, t0);
      assert.equal(created.type, 'client-secret.created');
      assert.deepEqual(created.data.target, { type: 'oauth-client', id: keys.consumerKey, name: null });
      assert.equal(created.data.details?.keyMappingId, keys.keyMappingId);

      const base = `${DP}/applications/${appId}/oauth-keys/${keys.keyMappingId}`;
      t0 = performance.now();
      const second = (await call(
        `${base}/generate-secret`,
        { additionalProperties: { description: 'ci', expiresIn: 3600 } },
        201,
      )) as { secretId: string; secretValue: string };
      secrets.push(second.secretValue);
      const another = await nth(2, t0);
      assert.equal(another.type, 'client-secret.created');
      assert.deepEqual(another.data.target, {
        type: 'client-secret',
        id: second.secretId,
        name: keys.consumerKey,
      });
      assert.equal(another.data.details?.expiresIn, 3600);

      // The second secret expires within an hour: inside the 1-day threshold (the job at start saw nothing).
      t0 = performance.now();
      await queueExpiringCredentialEvents({
        store: h.store,
        clock: h.clock,
        outbox: h.ctx.webhooks,
        thresholdsDays: [1],
      });
      const expiring = await nth(3, t0);
      assert.equal(expiring.type, 'client-secret.expiring');
      assert.deepEqual(expiring.data.target, { type: 'client-secret', id: second.secretId, name: 'ci' });
      assert.equal(expiring.data.thresholdDays, 1);
      assert.equal(expiring.data.details?.consumerKey, keys.consumerKey);
      const expiresAt = Date.parse(expiring.data.expiresAt!);
      assert.ok(Math.abs(expiresAt - (Date.now() + 3_600_000)) < 60_000, expiring.data.expiresAt);

      t0 = performance.now();
      await call(`${base}/revoke-secret`, { secretId: second.secretId }, 204);
      const revoked = await nth(4, t0);
      assert.equal(revoked.type, 'client-secret.revoked');
      assert.deepEqual(revoked.data.target, {
        type: 'client-secret',
        id: second.secretId,
        name: keys.consumerKey,
      });

      // A rotation without grace replaces every secret of the client (WSO2): last.
      t0 = performance.now();
      const rotated = await call(`${base}/regenerate-secret`, undefined, 200);
      secrets.push(String(rotated.consumerSecret));
      const rotation = await nth(5, t0);
      assert.equal(rotation.type, 'client-secret.rotated');
      assert.deepEqual(rotation.data.target, { type: 'oauth-client', id: keys.consumerKey, name: null });

      // Once each: five events, five distinct ids, nothing else.
      await delivery.dispatcher.pump();
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(receiver.received.length, 5);
      const ids = receiver.received.map((r) => (JSON.parse(r.body) as Body).id);
      assert.equal(new Set(ids).size, 5);
    } finally {
      await delivery.close();
      await receiver.close();
      await h.close();
    }
  });
}
