import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Check } from 'typebox/schema';
import type { PorticoEvent } from '../../src/core/index.js';
import { SCOPE_ROLES, type RegisteredRoute } from '../../src/control-plane/index.js';
import { ADMIN, basic, type Harness } from '../support/control-plane-harness.js';
import { testDialects } from '../support/dialects.js';
import {
  adminBasic,
  createApplication,
  dumpDatabase,
  fullHarness,
  sampleApiId,
} from '../support/full-control-plane.js';
import { SEEDS } from './rest-fuzz-seeds.js';
import { bodyKind, seededRng, variantsFor, type Variant } from './rest-fuzz-variants.js';

// Replay a failing run with FUZZ_SEED=<the printed seed>.
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const DP = '/api/am/devportal/v3';
const routeKey = (r: RegisteredRoute) => `${r.method} ${r.url}`;

for (const d of await testDialects()) {
  test(`REST fuzz on ${d.name}: every route refuses hostile input with a WSO2 4xx, no 5xx, nothing written`, async () => {
    const started = Date.now();
    const h = await fullHarness(await d.open());
    try {
      const params = await seedData(h);
      const auth = {
        anonymous: {},
        bearer: { authorization: `Bearer ${await adminToken(h)}` },
        basic: { authorization: adminBasic() },
      };
      const routes = h.cp.routes;
      assert.ok(routes.length >= 100, `the production route table (${routes.length} routes)`);
      for (const r of routes) assert.ok(r.schema.querystring, `${routeKey(r)} declares its query schema`);
      for (const r of routes.filter((x) => bodyKind(x) === 'schema')) {
        const seed = SEEDS[routeKey(r)];
        assert.ok(
          seed !== undefined,
          `${routeKey(r)} has a body schema: add a valid seed to rest-fuzz-seeds.ts`,
        );
        assert.ok(Check(r.schema.body as object, seed), `the seed of ${routeKey(r)} is valid for its schema`);
      }

      const events: PorticoEvent[] = [];
      h.bus.subscribe((e) => events.push(e));
      const deltas = h.recordDeltas();
      const rng = seededRng(SEED);
      const stats = {
        requests: 0,
        status: {} as Record<number, number>,
        kinds: {} as Record<string, number>,
      };
      const byAuth: Record<string, number> = {};
      const failures: string[] = [];
      const writers: string[] = [];
      let before = await dumpDatabase(h.store);

      for (const r of routes) {
        const variants = variantsFor(r, params, SEEDS[routeKey(r)], rng);
        // Basic auth costs a scrypt per request (~50-80 ms here), so a quarter of the routes get one Basic request;
        // bearer carries the rest. Anonymous requests to a route that needs scopes stop at the 401 of the auth
        // hook whatever the input, so those routes get a seeded eighth of their variants anonymously.
        const basicIndex = rng() < 0.25 ? Math.floor(rng() * variants.length) : -1;
        const isPublic = r.config.scopes === undefined;
        const plan: [Variant, keyof typeof auth][] = variants.flatMap((v, i) => [
          ...(isPublic || rng() < 0.125 ? [[v, 'anonymous'] as [Variant, keyof typeof auth]] : []),
          [v, i === basicIndex ? 'basic' : 'bearer'] as [Variant, keyof typeof auth],
        ]);
        for (const [v, who] of plan) {
          const res = await h.app.inject({
            method: v.method as 'GET',
            url: v.url,
            headers: { ...v.headers, ...auth[who] },
            ...(v.payload !== undefined ? { payload: v.payload } : {}),
          });
          stats.requests++;
          byAuth[who] = (byAuth[who] ?? 0) + 1;
          stats.status[res.statusCode] = (stats.status[res.statusCode] ?? 0) + 1;
          stats.kinds[v.kind] = (stats.kinds[v.kind] ?? 0) + 1;
          const what = `${who} ${v.kind} ${v.method} ${v.url.slice(0, 160)} ${v.payload?.slice(0, 120) ?? ''}`;
          if (res.statusCode >= 500)
            failures.push(`${res.statusCode} for ${what}: ${res.body.slice(0, 200)}`);
          // A HEAD answer carries no body (HTTP); its status is what is checked.
          else if (
            res.statusCode >= 400 &&
            v.method !== 'HEAD' &&
            !wso2Error(r, res.headers['content-type'], res.body)
          )
            failures.push(`not a WSO2 error body (${res.statusCode}) for ${what}: ${res.body.slice(0, 200)}`);
          else if (res.statusCode < 400 && v.mustRefuse)
            failures.push(`accepted (${res.statusCode}) ${what}: ${res.body.slice(0, 200)}`);
        }
        const after = await dumpDatabase(h.store);
        const changed = Object.keys(after).filter(
          (t) => JSON.stringify(after[t]) !== JSON.stringify(before[t]),
        );
        if (changed.length) writers.push(`${routeKey(r)} changed ${changed.join(', ')}`);
        before = after;
      }

      const kinds = { none: 0, schema: 0, opaque: 0, form: 0 };
      for (const r of routes) kinds[bodyKind(r)]++;
      console.log(
        `# rest-fuzz ${d.name}: ${JSON.stringify({ seed: SEED, routes: routes.length, bodies: kinds, ...stats, byAuth, seconds: (Date.now() - started) / 1000 })}`,
      );
      // Server errors first: they are the ones to fix first.
      failures.sort((a, b) => Number(!a.startsWith('5')) - Number(!b.startsWith('5')));
      assert.deepEqual(failures.slice(0, 30), [], `${failures.length} bad responses`);
      assert.deepEqual(writers, [], 'a refused request wrote to the database');
      assert.deepEqual(
        events.map((e) => e.type),
        [],
        'a refused request published an event',
      );
      assert.deepEqual(await deltas.all(), [], 'a refused request recorded a change for gateways');
    } finally {
      await h.close();
    }
  });
}

/** The WSO2 error body: REST `{code, message, description, moreInfo, error[], errorCode}`, OAuth2 RFC 6749. */
function wso2Error(route: RegisteredRoute, type: unknown, text: string): boolean {
  if (typeof type !== 'string' || !type.startsWith('application/json')) return false;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return false;
  }
  if (bodyKind(route) === 'form')
    return typeof body.error === 'string' && typeof body.error_description === 'string';
  return (
    typeof body.code === 'number' &&
    typeof body.message === 'string' &&
    typeof body.description === 'string' &&
    typeof body.moreInfo === 'string' &&
    Array.isArray(body.error) &&
    typeof body.errorCode === 'string'
  );
}

/** Real resources for every path parameter, so hostile variants reach the handlers' own checks. */
async function seedData(h: Harness): Promise<Record<string, string>> {
  const headers = { authorization: adminBasic() };
  const post = async (url: string, payload: unknown) => {
    const res = await h.app.inject({ method: 'POST', url, headers, payload: payload as object });
    assert.ok(res.statusCode < 300, `${url}: ${res.body}`);
    return res.json() as Record<string, unknown>;
  };
  const get = async (url: string) => {
    const res = await h.app.inject({ url, headers });
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    return res.json() as Record<string, unknown> & { list: Record<string, string>[] };
  };
  const apiId = await sampleApiId(h);
  const applicationId = await createApplication(h, 'fuzz-app');
  const keys = await post(`${DP}/applications/${applicationId}/generate-keys`, {
    keyType: 'PRODUCTION',
    grantTypesToBeSupported: ['client_credentials'],
  });
  await post(`${DP}/applications/${applicationId}/api-keys/PRODUCTION/generate`, { validityPeriod: 3600 });
  const apiKeys = await get(`${DP}/applications/${applicationId}/api-keys`);
  const subscription = await post(`${DP}/subscriptions`, {
    applicationId,
    apiId,
    throttlingPolicy: 'Unlimited',
  });
  const revisions = await get(`/api/am/publisher/v4/apis/${apiId}/revisions`);
  const policies = await get('/api/am/admin/v4/throttling/policies/application');
  const km = await post('/api/am/admin/v4/key-managers', {
    name: 'FuzzTarget',
    type: 'OIDC',
    issuer: 'https://fuzz-target.example.com',
    certificates: { type: 'JWKS', value: 'https://fuzz-target.example.com/jwks' },
  });
  await h.ctx.users.create('fuzz-victim', 'fuzz-victim-password', ['subscriber']);
  const sharedScope = await post('/api/am/publisher/v4/scopes', { name: 'fuzz:target' });
  const webhook = await post('/api/am/admin/v4/webhooks', { url: 'https://hooks.example.com/fuzz' });
  return {
    webhookId: String(webhook.id),
    applicationId,
    apiId,
    keyMappingId: String(keys.keyMappingId),
    keyType: 'PRODUCTION',
    keyId: String(apiKeys.list[0]?.keyId),
    subscriptionId: String(subscription.subscriptionId),
    revisionId: String(revisions.list[0]?.id),
    policyId: String(policies.list[0]?.policyId),
    policyLevel: 'application',
    keyManagerId: String(km.id),
    username: 'fuzz-victim',
    scopeId: String(sharedScope.id),
    scopeName: Buffer.from('apim:admin').toString('base64url'),
    orderId: 'no-such-order',
    '*': 'fuzz/page',
  };
}

/** An access token of the admin with every REST scope (password grant through a DCR client). */
async function adminToken(h: Harness): Promise<string> {
  const reg = await h.app.inject({
    method: 'POST',
    url: '/client-registration/v0.17/register',
    headers: { authorization: adminBasic() },
    payload: { clientName: 'rest_fuzz', owner: ADMIN.username, grantType: 'password' },
  });
  assert.equal(reg.statusCode, 200, reg.body);
  const { clientId, clientSecret } = reg.json() as { clientId: string; clientSecret: string };
  const res = await h.app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: {
      authorization: basic(clientId, clientSecret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: new URLSearchParams({
      grant_type: 'password',
      username: ADMIN.username,
      password: ADMIN.password,
      scope: Object.keys(SCOPE_ROLES).join(' '),
    }).toString(),
  });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { access_token: string }).access_token;
}
