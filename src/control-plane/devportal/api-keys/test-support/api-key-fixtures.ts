import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import type { Harness } from '../../../../../test/support/control-plane-harness.js';
import { basic } from '../../../../../test/support/control-plane-harness.js';
import { newUuid } from '../../../../core/index.js';
import { b64urlPadded, decodeBase64Strict, decodeCompactJws, WSO2_BASE64 } from '../../../../crypto/index.js';
import { applicationsRepository, type Store } from '../../../../store/index.js';
import { rawDb } from '../../../../../test/support/raw-db.js';

/** Test helpers of the API-key routes and the API-key conformance tests (tests only). */
export const DEV = '/api/am/devportal/v3';

/** Creates a subscriber and returns its Basic auth headers. */
export async function subscriber(h: Harness, username: string): Promise<{ authorization: string }> {
  const password = `${username}-password-1`;
  await h.ctx.users.create(username, password, ['subscriber']);
  return { authorization: basic(username, password) };
}

/** Inserts an application row (the applications REST API is another module's): `{id, uuid}`. */
export async function insertApplication(
  store: Store,
  owner: string,
  name: string,
): Promise<{ id: number; uuid: string }> {
  const uuid = newUuid();
  const id = await applicationsRepository(store).create({
    uuid,
    name,
    owner,
    throttlingPolicy: '10PerMin',
    now: Date.now(),
  });
  return { id, uuid };
}

export interface ApiFixture {
  name?: string;
  context?: string;
  version?: string;
  provider?: string;
  endpoint?: string;
  securityScheme?: string[];
  lifecycle?: string;
  /** Business plans (default `Unlimited`, `Gold`); `['DefaultSubscriptionless']` makes the API subscriptionless. */
  policies?: string[];
}

/** Inserts an API with one revision deployed to `Default` (Publisher v4 DTO in `definition`); returns its id. */
export async function insertApi(store: Store, f: ApiFixture = {}): Promise<string> {
  const id = newUuid();
  const now = Date.now();
  const dto = {
    id,
    name: f.name ?? 'PizzaShackAPI',
    context: f.context ?? '/pizzashack',
    version: f.version ?? '1.0.0',
    provider: f.provider ?? 'admin',
    lifeCycleStatus: f.lifecycle ?? 'PUBLISHED',
    securityScheme: f.securityScheme ?? ['oauth2', 'api_key'],
    policies: f.policies ?? ['Unlimited', 'Gold'],
    visibility: 'PUBLIC',
    visibleRoles: [],
    endpointConfig: {
      endpoint_type: 'http',
      production_endpoints: { url: f.endpoint ?? 'http://127.0.0.1:9/pizzashack' },
      sandbox_endpoints: { url: f.endpoint ?? 'http://127.0.0.1:9/pizzashack' },
    },
    operations: [
      {
        target: '/menu',
        verb: 'GET',
        authType: 'Application & Application User',
        throttlingPolicy: 'Unlimited',
      },
      {
        target: '/order',
        verb: 'POST',
        authType: 'Application & Application User',
        throttlingPolicy: 'Unlimited',
      },
    ],
  };
  const definition = JSON.stringify(dto);
  const revisionId = newUuid();
  await store.transaction(async (trx) => {
    await trx
      .insertInto('apis')
      .values({
        id,
        name: dto.name,
        context: dto.context,
        version: dto.version,
        provider: dto.provider,
        lifecycle: dto.lifeCycleStatus,
        definition,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('api_revisions')
      .values({ id: revisionId, api_id: id, revision: 1, description: '', definition, created_at: now })
      .execute();
    await trx
      .insertInto('api_deployments')
      .values({
        api_id: id,
        revision_id: revisionId,
        environment: 'Default',
        vhost: 'localhost',
        deployed_at: now,
      })
      .execute();
  });
  return id;
}

/** Inserts a subscription row; returns its uuid. */
export async function insertSubscription(
  store: Store,
  applicationId: number,
  apiId: string,
  policy = 'Gold',
  status = 'UNBLOCKED',
  createdAt = Date.now(),
): Promise<string> {
  const uuid = newUuid();
  await rawDb(store)
    .insertInto('subscriptions')
    .values({
      uuid,
      application_id: applicationId,
      api_id: apiId,
      policy,
      requested_policy: null,
      status,
      created_at: createdAt,
      updated_at: createdAt,
    })
    .execute();
  return uuid;
}

/** Calls `generate` and returns the response (status asserted by the caller). */
export function generate(
  h: Harness,
  auth: { authorization: string },
  appUuid: string,
  keyType = 'PRODUCTION',
  payload?: unknown,
) {
  return h.app.inject({
    method: 'POST',
    url: `${DEV}/applications/${appUuid}/api-keys/${keyType}/generate`,
    headers: auth,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

/** Generates a key and returns it (asserting 200). */
export async function generateKey(
  h: Harness,
  auth: { authorization: string },
  appUuid: string,
  payload?: unknown,
): Promise<string> {
  const res = await generate(h, auth, appUuid, 'PRODUCTION', payload);
  assert.equal(res.statusCode, 200, res.body);
  return res.json<{ apikey: string }>().apikey;
}

/** Header and payload of a key, decoded strictly (as the gateway does). */
export function decodeKey(key: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const jws = decodeCompactJws(key, 'wso2');
  assert.ok(typeof jws !== 'string', `the key is a compact JWS (${String(jws)})`);
  return { header: { ...jws.header }, payload: jws.payload };
}

/** Revokes a key with `POST .../revoke`. */
export function revoke(
  h: Harness,
  auth: { authorization: string },
  appUuid: string,
  apikey: unknown,
  keyType = 'PRODUCTION',
) {
  return h.app.inject({
    method: 'POST',
    url: `${DEV}/applications/${appUuid}/api-keys/${keyType}/revoke`,
    headers: auth,
    payload: { apikey } as Record<string, unknown>,
  });
}

/** Every segment is Java-style padded base64url, and the signature verifies over the literal segments. */
export function assertWso2Encoding(h: Harness, key: string, cert = h.primaryKey.certificate): void {
  const segments = key.split('.');
  assert.equal(segments.length, 3);
  for (const s of segments) {
    const bytes = decodeBase64Strict(s, WSO2_BASE64);
    assert.ok(bytes, `segment decodes: ${s.slice(0, 20)}`);
    assert.equal(s, b64urlPadded(bytes), 'segment is padded base64url');
    assert.equal(s.length % 4, 0);
  }
  const [hs, ps, ss] = segments as [string, string, string];
  const signature = decodeBase64Strict(ss, WSO2_BASE64);
  assert.ok(signature);
  assert.ok(
    verify('sha256', Buffer.from(`${hs}.${ps}`, 'ascii'), cert.publicKey, signature),
    'RS256 verifies',
  );
}

export async function countKeys(h: Harness): Promise<number> {
  const r = await rawDb(h.store)
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
