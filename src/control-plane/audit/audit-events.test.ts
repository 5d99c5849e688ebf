import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { fullHarness } from '../../../test/support/full-control-plane.js';
import type { Harness } from '../../../test/support/control-plane-harness.js';
import type { AuditEventDto } from './index.js';
import { adminAuth, ADMIN_API, credentialScenario } from './test-support/audit-scenario.js';

async function events(h: Harness, query = 'limit=1000'): Promise<AuditEventDto[]> {
  const res = await h.app.inject({ url: `${ADMIN_API}/audit-events?${query}`, headers: adminAuth });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { list: AuditEventDto[] }).list;
}

/** The one event of `action` on target `id`, asserting there is exactly one. */
function one(list: AuditEventDto[], action: string, id?: string): AuditEventDto {
  const found = list.filter((e) => e.action === action && (id === undefined || e.target.id === id));
  assert.equal(found.length, 1, `one ${action} ${id ?? ''}: ${JSON.stringify(found)}`);
  return found[0]!;
}

const [sqlite] = await testDialects();

test('every credential and access event is recorded with its actor, client IP, target and outcome', async () => {
  const h = await fullHarness(await sqlite!.open());
  try {
    const r = await credentialScenario(h);
    const list = await events(h);
    const by = (action: string, id: string | undefined, actor: string, type: string) => {
      const e = one(list, action, id);
      assert.equal(e.actor, actor, `${action} actor`);
      assert.equal(e.target.type, type, `${action} target type`);
      assert.equal(e.outcome, 'success', `${action} outcome`);
      assert.equal(e.clientIp, '127.0.0.1', `${action} client IP`);
      return e;
    };
    const u = r.user;
    assert.deepEqual(by('user.created', u, 'admin', 'user').details, { roles: 'subscriber' });
    assert.deepEqual(by('user.roles-changed', u, 'admin', 'user').details, {
      from: 'subscriber',
      to: 'subscriber,creator',
    });
    by('user.deleted', u, 'admin', 'user');

    // Sign-ins: the session login succeeded; a wrong password at the login and over Basic failed. A Basic
    // success (every REST call of the scenario) is not an event.
    const signIns = list.filter((e) => e.action === 'user.signed-in' && e.target.id === u);
    assert.deepEqual(signIns.map((e) => [e.outcome, e.reason, e.details.channel]).sort(), [
      ['failure', 'wrong-password', 'basic'],
      ['failure', 'wrong-password', 'session'],
      ['success', null, 'password-grant'],
      ['success', null, 'session'],
    ]);
    for (const e of signIns) assert.equal(e.actor, u);

    assert.equal(by('application.created', r.applicationId, u, 'application').target.name, 'AuditApp');
    by('application.deleted', r.applicationId, u, 'application');
    assert.equal(by('subscription.created', r.subscriptionId, u, 'subscription').details.tier, 'Unlimited');
    assert.deepEqual(
      by('subscription.blocked', r.subscriptionId, 'admin', 'subscription').details.to,
      'BLOCKED',
    );
    by('subscription.unblocked', r.subscriptionId, 'admin', 'subscription');
    by('subscription.removed', r.subscriptionId, u, 'subscription');

    const issued = by('apikey.issued', r.apiKeyIds.first, u, 'api-key');
    assert.equal(issued.details.keyType, 'PRODUCTION');
    assert.equal(issued.details.validityPeriod, 3600);
    assert.equal(issued.details.application, r.applicationId);
    const regenerated = by('apikey.regenerated', r.apiKeyIds.regenerated, u, 'api-key');
    assert.equal(regenerated.details.replaces, r.apiKeyIds.first);
    assert.equal(regenerated.details.gracePeriod, 60);
    assert.equal(by('apikey.revoked', r.apiKeyIds.regenerated, u, 'api-key').details.cause, 'revoked');

    const ck = r.consumerKey;
    assert.equal(by('oauth-keys.generated', ck, u, 'oauth-client').details.keyMappingId, r.keyMappingId);
    by('client-secret.regenerated', ck, u, 'oauth-client');
    assert.equal(by('client-secret.generated', r.secretId, u, 'client-secret').target.name, ck);
    by('client-secret.revoked', r.secretId, u, 'client-secret');
    by('oauth-keys.cleaned-up', ck, u, 'oauth-client');
    by('oauth-keys.deleted', ck, u, 'oauth-client');
    // The revoking client is the actor of a token revocation (RFC 7009: the client authenticates).
    assert.equal(by('token.revoked', r.accessTokenJti, ck, 'access-token').details.kind, 'access_token');
    assert.deepEqual(by('token.revoked', r.passwordTokenJti, u, 'access-token').details, {
      kind: 'access_token',
      via: 'generate-token',
    });

    const km = by('keymanager.created', r.keyManagerId, 'admin', 'key-manager');
    assert.deepEqual(km.details, {
      type: 'Keycloak',
      issuer: 'https://idp.example.com/realms/portico',
      enabled: true,
    });
    assert.equal(by('keymanager.updated', r.keyManagerId, 'admin', 'key-manager').details.enabled, false);
    by('keymanager.deleted', r.keyManagerId, 'admin', 'key-manager');
    assert.equal(
      by('deny-policy.created', r.denyPolicyId, 'admin', 'deny-policy').target.name,
      'USER mallory',
    );
    assert.equal(by('deny-policy.updated', r.denyPolicyId, 'admin', 'deny-policy').details.enabled, false);
    by('deny-policy.deleted', r.denyPolicyId, 'admin', 'deny-policy');

    // Newest first, ids unique, times not decreasing along the list's reverse.
    assert.equal(new Set(list.map((e) => e.id)).size, list.length);
    for (let i = 1; i < list.length; i++) assert.ok(list[i - 1]!.time >= list[i]!.time, 'newest first');
  } finally {
    await h.close();
  }
});

test('the client IP honours [server] trusted_proxies like sign-in does', async () => {
  const toml = '[server]\ntrusted_proxies = ["127.0.0.1"]\n';
  const h = await fullHarness(await sqlite!.open(), { toml });
  try {
    const res = await h.app.inject({
      method: 'POST',
      url: `${ADMIN_API}/throttling/deny-policies`,
      headers: { ...adminAuth, 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' },
      payload: { conditionType: 'IP', conditionValue: { fixedIp: '198.51.100.1', invert: false } },
    });
    assert.equal(res.statusCode, 201, res.body);
    const e = one(await events(h), 'deny-policy.created');
    assert.equal(e.clientIp, '203.0.113.9');
    assert.equal(e.actor, 'admin');
  } finally {
    await h.close();
  }
});

test('a refused change records nothing, and a change that rolls back takes its events with it', async () => {
  const h = await fullHarness(await sqlite!.open());
  try {
    const before = (await events(h)).length;
    const post = (url: string, payload: unknown) =>
      h.app.inject({ method: 'POST', url, headers: adminAuth, payload: payload as object });
    const app = await post('/api/am/devportal/v3/applications', {
      name: 'Dup',
      throttlingPolicy: 'Unlimited',
    });
    assert.equal(app.statusCode, 201);
    const afterCreate = (await events(h)).length;
    assert.equal(afterCreate, before + 1);
    const dup = await post('/api/am/devportal/v3/applications', {
      name: 'Dup',
      throttlingPolicy: 'Unlimited',
    });
    assert.equal(dup.statusCode, 409);
    const bad = await post(`${ADMIN_API}/throttling/deny-policies`, {
      conditionType: 'IP',
      conditionValue: 'x',
    });
    assert.equal(bad.statusCode, 400);
    const user = await post(`${ADMIN_API}/users`, {
      username: 'admin',
      password: 'whatever-1',
      roles: ['admin'],
    });
    assert.equal(user.statusCode, 409);
    assert.equal((await events(h)).length, afterCreate, 'no event for a refused change');

    // Two subscriptions in one transaction, the second refused (already subscribed): neither the subscription nor
    // its event survives.
    const applicationId = (app.json() as { applicationId: string }).applicationId;
    const apis = await h.app.inject({ url: '/api/am/devportal/v3/apis' });
    const apiId = (apis.json() as { list: { id: string }[] }).list[0]!.id;
    const s = { applicationId, apiId, throttlingPolicy: 'Unlimited' };
    const many = await post('/api/am/devportal/v3/subscriptions/multiple', [s, s]);
    assert.equal(many.statusCode, 409, many.body);
    const list = await events(h);
    assert.equal(list.length, afterCreate);
    assert.equal(list.filter((e) => e.action === 'subscription.created').length, 0);
  } finally {
    await h.close();
  }
});
