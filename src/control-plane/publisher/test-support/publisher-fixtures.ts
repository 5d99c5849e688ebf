import assert from 'node:assert/strict';
import type { Harness } from '../../../../test/support/control-plane-harness.js';
import { ADMIN, basic } from '../../../../test/support/control-plane-harness.js';
import { newUuid } from '../../../core/index.js';
import { rawDb } from '../../../../test/support/raw-db.js';
import { applicationsRepository } from '../../../store/index.js';

/** Test helpers shared by the publisher, devportal and admin route tests (tests only). */
export const PUB = '/api/am/publisher/v4';
export const DEV = '/api/am/devportal/v3';
export const ADM = '/api/am/admin/v4';
export const adminAuth = { authorization: basic(ADMIN.username, ADMIN.password) };

/** Creates a user with roles and returns its Basic auth headers. */
export async function userAuth(h: Harness, username: string, roles: string[]) {
  const password = `${username}-password-1`;
  await h.ctx.users.create(username, password, roles);
  return { authorization: basic(username, password) };
}

/** An Admin `POST /key-managers` body for an Okta-type key manager `name` (nothing is fetched on create). */
export function keyManagerBody(name: string, enabled = true) {
  const base = `https://${name.toLowerCase().replaceAll(' ', '-')}.example/oauth2/default`;
  return {
    name,
    type: 'Okta',
    issuer: base,
    certificates: { type: 'JWKS', value: `${base}/v1/keys` },
    enabled,
  };
}

/** Registers key manager `name` through the Admin API (the harness needs `keyManagerAdminRoutes()`). */
export async function registerKeyManager(h: Harness, name: string, enabled = true): Promise<void> {
  const r = await h.app.inject({
    method: 'POST',
    url: `${ADM}/key-managers`,
    headers: adminAuth,
    payload: keyManagerBody(name, enabled),
  });
  assert.equal(r.statusCode, 201, r.body);
}

/** A minimal valid API DTO. */
export function apiBody(over: Record<string, unknown> = {}) {
  return {
    name: 'Petstore',
    context: '/pets',
    version: '1.0.0',
    description: 'Pets',
    endpointConfig: {
      endpoint_type: 'http',
      production_endpoints: { url: 'http://127.0.0.1:9/pets' },
      sandbox_endpoints: { url: 'http://127.0.0.1:9/sandbox' },
    },
    policies: ['Gold', 'Unlimited'],
    operations: [
      { target: '/pets', verb: 'GET' },
      {
        target: '/pets/{id}',
        verb: 'DELETE',
        authType: 'Application & Application User',
        throttlingPolicy: '10KPerMin',
      },
    ],
    ...over,
  };
}

/** Creates, revises, deploys and publishes an API as admin; returns its id. */
export async function publishedApi(h: Harness, over: Record<string, unknown> = {}): Promise<string> {
  const created = await h.app.inject({
    method: 'POST',
    url: `${PUB}/apis`,
    headers: adminAuth,
    payload: apiBody(over),
  });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  const rev = await h.app.inject({
    method: 'POST',
    url: `${PUB}/apis/${id}/revisions`,
    headers: adminAuth,
    payload: {},
  });
  assert.equal(rev.statusCode, 201, rev.body);
  const dep = await h.app.inject({
    method: 'POST',
    url: `${PUB}/apis/${id}/deploy-revision?revisionId=${rev.json().id}`,
    headers: adminAuth,
    payload: [{ name: 'Default', vhost: 'localhost', displayOnDevportal: true }],
  });
  assert.equal(dep.statusCode, 201, dep.body);
  const pub = await h.app.inject({
    method: 'POST',
    url: `${PUB}/apis/change-lifecycle?apiId=${id}&action=Publish`,
    headers: adminAuth,
  });
  assert.equal(pub.statusCode, 200, pub.body);
  return id;
}

/**
 * Inserts an application row directly (the applications REST API belongs to another module): `{id, uuid}`.
 */
export async function insertApplication(h: Harness, owner: string, name: string, status = 'APPROVED') {
  const uuid = newUuid();
  const id = await applicationsRepository(h.store).create({
    uuid,
    name,
    owner,
    throttlingPolicy: 'Unlimited',
    status,
    now: Date.now(),
  });
  return { id, uuid };
}

/** Row counts of the tables a failed request must not touch. */
export async function counts(h: Harness) {
  const n = async (
    t: 'apis' | 'api_revisions' | 'api_deployments' | 'subscriptions' | 'throttling_policies',
  ) =>
    Number(
      (
        await rawDb(h.store)
          .selectFrom(t)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    apis: await n('apis'),
    revisions: await n('api_revisions'),
    deployments: await n('api_deployments'),
    subscriptions: await n('subscriptions'),
    policies: await n('throttling_policies'),
  };
}
