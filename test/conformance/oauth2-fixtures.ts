import assert from 'node:assert/strict';
import type { Store } from '../../src/store/index.js';
import type { Role } from '../../src/control-plane/index.js';
import { accessTokenVerifier, oauth2Routes } from '../../src/control-plane/oauth2/index.js';
import {
  applicationsRoutes,
  keyManagersRoutes,
  clientSecretsRoutes,
  keyTokenRoutes,
  keysRoutes,
  throttlingPoliciesRoutes,
} from '../../src/control-plane/devportal/index.js';
import { basic, createHarness, type Harness } from '../support/control-plane-harness.js';

/** Shared set-up of the oauth2*.test.ts conformance files: the key manager and Developer Portal route modules. */
export const KM_MODULES = [
  oauth2Routes,
  applicationsRoutes,
  keysRoutes,
  keyTokenRoutes,
  clientSecretsRoutes,
  keyManagersRoutes,
  throttlingPoliciesRoutes,
];

export const DP = '/api/am/devportal/v3';

/** A control plane with the key manager wired like the CLI does (bearer tokens accepted by REST APIs). */
export async function kmHarness(
  store: Store,
  opts: { toml?: string; fakeTime?: boolean } = {},
): Promise<Harness> {
  const h = await createHarness(store, KM_MODULES, opts);
  h.cp.setTokenVerifier(accessTokenVerifier(h.ctx));
  return h;
}

/** Creates a user and returns its Basic header. */
export async function userAuth(h: Harness, username: string, roles: Role[]): Promise<string> {
  const password = `${username}-password-1`;
  await h.ctx.users.create(username, password, roles);
  return basic(username, password);
}

/** POST JSON to the Developer Portal. */
export async function dpPost(h: Harness, auth: string, path: string, body: unknown) {
  return h.app.inject({
    method: 'POST',
    url: `${DP}${path}`,
    headers: { authorization: auth, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

/** Creates an application and returns its id. */
export async function createApp(
  h: Harness,
  auth: string,
  name: string,
  policy = 'Unlimited',
): Promise<string> {
  const res = await dpPost(h, auth, '/applications', { name, throttlingPolicy: policy });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().applicationId as string;
}

export interface GeneratedKeys {
  keyMappingId: string;
  consumerKey: string;
  consumerSecret: string;
  token: { accessToken: string; tokenScopes: string[]; validityTime: number } | null;
}

/** generate-keys with the given grants; asserts 200. */
export async function generateKeys(
  h: Harness,
  auth: string,
  appId: string,
  extra: Record<string, unknown> = {},
): Promise<GeneratedKeys> {
  const res = await dpPost(h, auth, `/applications/${appId}/generate-keys`, {
    keyType: 'PRODUCTION',
    grantTypesToBeSupported: ['client_credentials', 'password', 'refresh_token'],
    ...extra,
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as GeneratedKeys;
}

/** POST a form to an oauth2 endpoint, with optional Basic client credentials. */
export async function form(
  h: Harness,
  path: string,
  fields: Record<string, string>,
  client?: { id: string; secret: string },
) {
  return h.app.inject({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(client ? { authorization: basic(client.id, client.secret) } : {}),
    },
    payload: new URLSearchParams(fields).toString(),
  });
}

/** Decodes a JWT segment (header 0, payload 1). */
export function jwtPart(token: string, index: 0 | 1): Record<string, unknown> {
  const seg = token.split('.')[index];
  assert.ok(seg, 'token has the segment');
  return JSON.parse(Buffer.from(seg, 'base64url').toString('utf8')) as Record<string, unknown>;
}
