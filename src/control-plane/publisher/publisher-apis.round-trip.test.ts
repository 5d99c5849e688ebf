import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness, type Harness } from '../../../test/support/control-plane-harness.js';
import { publisherRoutes } from './index.js';
import { adminAuth, apiBody, PUB } from './test-support/publisher-fixtures.js';

/** An API that uses every field of the DTO, so that every leaf has a value to change. */
const full = apiBody({
  tags: ['pets'],
  scopes: [
    {
      scope: { name: 'read:pets', displayName: 'Read', description: 'Read pets', bindings: ['subscriber'] },
      shared: false,
    },
  ],
  businessInformation: {
    businessOwner: 'Ann',
    businessOwnerEmail: 'ann@example.com',
    technicalOwner: 'Tom',
    technicalOwnerEmail: 'tom@example.com',
  },
  corsConfiguration: {
    corsConfigurationEnabled: true,
    accessControlAllowOrigins: ['https://app.example.com'],
    accessControlAllowCredentials: false,
    accessControlAllowHeaders: ['authorization'],
    accessControlAllowMethods: ['GET'],
  },
  additionalProperties: [{ name: 'tier', value: 'gold', display: true }],
  accessControl: 'RESTRICTED',
  accessControlRoles: ['creator'],
  subscriptionAvailability: 'SPECIFIC_TENANTS',
  subscriptionAvailableTenants: ['carbon.super'],
  maxTps: { production: 100, productionTimeUnit: 'SECOND', sandbox: 10, sandboxTimeUnit: 'MINUTE' },
  categories: ['animals'],
  keyManagers: ['Resident Key Manager'],
});

/** Leaves whose generic change (flip, +1, append) would not be valid, with a valid change instead. */
const CHANGE: Record<string, (v: unknown, dto: Record<string, unknown>) => unknown> = {
  transport: () => ['https'],
  policies: (v) => [...(v as string[]), 'Silver'],
  apiThrottlingPolicy: () => '20KPerMin',
  securityScheme: () => ['oauth2', 'api_key'],
  authorizationHeader: () => 'X-Authorization',
  apiKeyHeader: () => 'X-Api-Key',
  visibility: () => 'PRIVATE',
  'endpointConfig.production_endpoints.url': () => 'http://127.0.0.1:9/pets-v2',
  'endpointConfig.sandbox_endpoints.url': () => 'http://127.0.0.1:9/sandbox-v2',
  'operations[].verb': () => 'PATCH',
  'operations[].authType': () => 'Application',
  'operations[].throttlingPolicy': () => '20KPerMin',
  // An operation may name only a declared scope (the API's scopes are visited first, so renamed by then).
  'operations[].scopes': (_v, dto) => [(dto.scopes as { scope: { name: string } }[])[0]?.scope.name],
  'businessInformation.businessOwnerEmail': () => 'ann2@example.com',
  'businessInformation.technicalOwnerEmail': () => 'tom2@example.com',
  accessControl: () => 'NONE',
  subscriptionAvailability: () => 'ALL_TENANTS',
  'maxTps.productionTimeUnit': () => 'HOUR',
  'maxTps.sandboxTimeUnit': () => 'SECOND',
  // Only `all` and existing key managers are accepted.
  keyManagers: () => ['all'],
};
/** Leaves a client cannot change: the PUT is refused with 400 and the API stays as it was. */
const REFUSED = new Set(['name', 'version', 'endpointConfig.endpoint_type', 'scopes[].shared']);
/** Read-only leaves (taken from the store, ignored on input). */
const READ_ONLY = new Set(['id', 'provider', 'lifeCycleStatus', 'type', 'createdTime', 'lastUpdatedTime']);

type Path = (string | number)[];
const key = (path: Path) =>
  path.map((s, i) => (typeof s === 'number' ? '[]' : i === 0 ? s : `.${s}`)).join('');

/** Every leaf of a DTO: a primitive, null, or an array of primitives (empty arrays included). */
function leaves(v: unknown, path: Path = []): Path[] {
  if (Array.isArray(v) && v.some((x) => typeof x === 'object' && x !== null))
    return v.flatMap((x, i) => leaves(x, [...path, i]));
  if (typeof v === 'object' && v !== null && !Array.isArray(v))
    return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]));
  return [path];
}

function changed(v: unknown, k: string, dto: Record<string, unknown>): unknown {
  const special = CHANGE[k];
  if (special) return special(v, dto);
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'string') return `${v}x`;
  if (Array.isArray(v)) return [...(v as string[]), 'x1'];
  throw new Error(`no change defined for ${k} (${JSON.stringify(v)}): add one to CHANGE`);
}

function withLeaf(dto: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(dto);
  let at: Record<string | number, unknown> = copy;
  for (const s of path.slice(0, -1)) at = at[s] as Record<string | number, unknown>;
  at[path[path.length - 1] as string | number] = value;
  return copy;
}

const leafOf = (dto: unknown, path: Path): unknown =>
  path.reduce<unknown>((o, s) => (o as Record<string | number, unknown>)[s], dto);

const comparable = (dto: Record<string, unknown>) => ({ ...dto, lastUpdatedTime: 'T' });

async function get(h: Harness, id: string) {
  const res = await h.app.inject({ method: 'GET', url: `${PUB}/apis/${id}`, headers: adminAuth });
  assert.equal(res.statusCode, 200);
  return res.json() as Record<string, unknown>;
}

for (const d of await testDialects()) {
  test(`publisher API round trip on ${d.name}: for each field, GET → change it → PUT → GET returns it as sent`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    try {
      const created = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: adminAuth,
        payload: full,
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as string;
      let dto = await get(h, id);
      // (Operations come back with their defaults filled in: authType, throttlingPolicy, scopes.)
      for (const [k, v] of Object.entries(full))
        if (k !== 'operations') assert.deepEqual(dto[k], v, `${k} is returned as sent on create`);

      // Portico's own GET output is always accepted back unchanged.
      const same = await h.app.inject({
        method: 'PUT',
        url: `${PUB}/apis/${id}`,
        headers: adminAuth,
        payload: dto,
      });
      assert.equal(same.statusCode, 200, same.body);
      assert.deepEqual(comparable(await get(h, id)), comparable(dto));

      let tried = 0;
      const paths = leaves(dto).sort((a, b) => Number(b[0] === 'scopes') - Number(a[0] === 'scopes'));
      for (const path of paths) {
        const k = key(path);
        if (READ_ONLY.has(k)) continue;
        const before = dto;
        const sent = withLeaf(dto, path, changed(leafOf(dto, path), k, dto));
        const put = await h.app.inject({
          method: 'PUT',
          url: `${PUB}/apis/${id}`,
          headers: adminAuth,
          payload: sent,
        });
        if (REFUSED.has(k)) {
          assert.equal(put.statusCode, 400, `${k}: ${put.body}`);
          assert.deepEqual(comparable(await get(h, id)), comparable(before), `${k}: nothing written`);
          continue;
        }
        assert.equal(put.statusCode, 200, `${k}: ${put.body}`);
        dto = await get(h, id);
        assert.deepEqual(comparable(dto), comparable(sent), `${k} round-trips`);
        tried++;
      }
      assert.ok(tried >= 40, `every leaf tried (${tried})`);
    } finally {
      await h.close();
    }
  });
}
