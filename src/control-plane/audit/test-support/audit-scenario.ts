import assert from 'node:assert/strict';
import type { Harness } from '../../../../test/support/control-plane-harness.js';
import { ADMIN, basic } from '../../../../test/support/control-plane-harness.js';
import { sampleApiId } from '../../../../test/support/full-control-plane.js';

/** Test helpers of the audit log (tests only). */
export const DP = '/api/am/devportal/v3';
export const ADMIN_API = '/api/am/admin/v4';
export const adminAuth = { authorization: basic(ADMIN.username, ADMIN.password) };

/** What a run of {@link credentialScenario} produced: ids to look events up by, and every secret value seen. */
export interface ScenarioResult {
  user: string;
  applicationId: string;
  subscriptionId: string;
  apiKeyIds: { first: string; regenerated: string };
  consumerKey: string;
  keyMappingId: string;
  secretId: string;
  accessTokenJti: string;
  /** The password-grant token, revoked by generate-token's `revokeToken`. */
  passwordTokenJti: string;
  keyManagerId: string;
  denyPolicyId: string;
  /** Passwords (right and wrong), API keys, consumer secrets, access and refresh tokens, session cookies. */
  secrets: string[];
}

async function call(
  h: Harness,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  headers: Record<string, string>,
  payload?: unknown,
  expected = 200,
) {
  const res = await h.app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  assert.equal(res.statusCode, expected, `${method} ${url}: ${res.body}`);
  return res;
}

/** A form POST to the OAuth2 endpoints with the client's Basic credentials. */
export async function oauthForm(
  h: Harness,
  url: string,
  form: Record<string, string>,
  client: [string, string],
) {
  return h.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(...client) },
    payload: new URLSearchParams(form).toString(),
  });
}

/**
 * Every kind of audited event, once, through the real REST APIs (a full harness with the sample API): a user
 * created by the admin, signs in (session; a wrong password; Basic), gets API keys (issued, regenerated with a
 * grace, revoked), OAuth keys (generated, secret regenerated, a second secret generated and revoked), a client
 * credentials and a password-grant token (one revoked), a subscription (created, blocked, unblocked, removed); the
 * admin adds, changes and deletes a key manager and a deny policy; then the application and the user are deleted.
 */
export async function credentialScenario(h: Harness, user = 'audrey'): Promise<ScenarioResult> {
  const secrets: string[] = [];
  const password = `${user}-Pa55word-1`;
  const wrong = `${user}-wrong-Pa55word`;
  secrets.push(password, wrong);
  await call(
    h,
    'POST',
    `${ADMIN_API}/users`,
    adminAuth,
    { username: user, password, roles: ['subscriber'] },
    201,
  );
  await call(h, 'PUT', `${ADMIN_API}/users/${user}/roles`, adminAuth, { roles: ['subscriber', 'creator'] });
  const auth = { authorization: basic(user, password) };

  const login = await call(h, 'POST', '/api/am/auth/login', {}, { username: user, password });
  for (const c of [login.headers['set-cookie']].flat()) if (c) secrets.push(c.split(';')[0]!.split('=')[1]!);
  await call(h, 'POST', '/api/am/auth/login', {}, { username: user, password: wrong }, 401);
  await call(h, 'GET', `${DP}/applications`, { authorization: basic(user, wrong) }, undefined, 401);

  const app = await call(
    h,
    'POST',
    `${DP}/applications`,
    auth,
    { name: 'AuditApp', throttlingPolicy: 'Unlimited' },
    201,
  );
  const applicationId = (app.json() as { applicationId: string }).applicationId;
  const apiId = await sampleApiId(h);
  const sub = await call(
    h,
    'POST',
    `${DP}/subscriptions`,
    auth,
    { applicationId, apiId, throttlingPolicy: 'Unlimited' },
    201,
  );
  const subscriptionId = (sub.json() as { subscriptionId: string }).subscriptionId;
  const pub = '/api/am/publisher/v4/subscriptions';
  await call(
    h,
    'POST',
    `${pub}/block-subscription?subscriptionId=${subscriptionId}&blockState=BLOCKED`,
    adminAuth,
  );
  await call(h, 'POST', `${pub}/unblock-subscription?subscriptionId=${subscriptionId}`, adminAuth);

  // API keys: a JWT key and an opaque one (the configured format decides; regenerate keeps it).
  const keys = `${DP}/applications/${applicationId}/api-keys/PRODUCTION`;
  const k1 = (await call(h, 'POST', `${keys}/generate`, auth, { validityPeriod: 3600 })).json() as {
    apikey: string;
    keyUUID: string;
  };
  secrets.push(k1.apikey);
  const k2 = (
    await call(h, 'POST', `${keys}/regenerate`, auth, { keyUUID: k1.keyUUID, gracePeriod: 60 })
  ).json() as { apikey: string; keyUUID: string };
  secrets.push(k2.apikey);
  await call(h, 'POST', `${keys}/revoke`, auth, { apikey: k2.apikey });

  // OAuth keys and their secrets.
  const gen = (
    await call(h, 'POST', `${DP}/applications/${applicationId}/generate-keys`, auth, {
      keyType: 'PRODUCTION',
      keyManager: 'Resident Key Manager',
      grantTypesToBeSupported: ['client_credentials', 'password', 'refresh_token'],
      scopes: ['default'],
    })
  ).json() as {
    consumerKey: string;
    consumerSecret: string;
    keyMappingId: string;
    token: { accessToken: string };
  };
  secrets.push(gen.consumerSecret, gen.token.accessToken);
  const mapping = `${DP}/applications/${applicationId}/oauth-keys/${gen.keyMappingId}`;
  const regen = (await call(h, 'POST', `${mapping}/regenerate-secret`, auth)).json() as {
    consumerSecret: string;
  };
  secrets.push(regen.consumerSecret);
  const second = (
    await call(
      h,
      'POST',
      `${mapping}/generate-secret`,
      auth,
      { additionalProperties: { description: 'ci' } },
      201,
    )
  ).json() as { secretId: string; secretValue: string };
  assert.ok(second.secretValue.length >= 20, 'the new secret is shown once');
  secrets.push(second.secretValue);
  await call(h, 'POST', `${mapping}/revoke-secret`, auth, { secretId: second.secretId }, 204);

  const client: [string, string] = [gen.consumerKey, regen.consumerSecret];
  const cc = await oauthForm(h, '/oauth2/token', { grant_type: 'client_credentials' }, client);
  assert.equal(cc.statusCode, 200, cc.body);
  const accessToken = (cc.json() as { access_token: string }).access_token;
  const pw = await oauthForm(
    h,
    '/oauth2/token',
    { grant_type: 'password', username: user, password },
    client,
  );
  assert.equal(pw.statusCode, 200, pw.body);
  const pwBody = pw.json() as { access_token: string; refresh_token: string };
  secrets.push(accessToken, pwBody.access_token, pwBody.refresh_token);
  const revoked = await oauthForm(h, '/oauth2/revoke', { token: accessToken }, client);
  assert.equal(revoked.statusCode, 200, revoked.body);
  // generate-token revoking the password-grant token on the way (WSO2's revokeToken).
  const fresh = (
    await call(h, 'POST', `${mapping}/generate-token`, auth, {
      consumerSecret: regen.consumerSecret,
      validityPeriod: 3600,
      revokeToken: pwBody.access_token,
    })
  ).json() as { accessToken: string };
  secrets.push(fresh.accessToken);
  const jtiOf = (jwt: string) =>
    (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { jti: string }).jti;
  const passwordTokenJti = jtiOf(pwBody.access_token);
  const accessTokenJti = (
    JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { jti: string }
  ).jti;
  await call(h, 'POST', `${mapping}/clean-up`, auth);

  // Admin: a key manager (its client secret is a secret too) and a deny policy.
  const kmSecret = 'km-client-secret-7f3a9c1e5b';
  secrets.push(kmSecret);
  const km = (
    await call(
      h,
      'POST',
      `${ADMIN_API}/key-managers`,
      adminAuth,
      keyManagerBody({ additionalProperties: { client_id: 'portico', client_secret: kmSecret } }),
      201,
    )
  ).json() as { id: string };
  await call(
    h,
    'PUT',
    `${ADMIN_API}/key-managers/${km.id}`,
    adminAuth,
    keyManagerBody({
      enabled: false,
      additionalProperties: { client_id: 'portico', client_secret: kmSecret },
    }),
  );
  await call(h, 'DELETE', `${ADMIN_API}/key-managers/${km.id}`, adminAuth);
  const deny = (
    await call(
      h,
      'POST',
      `${ADMIN_API}/throttling/deny-policies`,
      adminAuth,
      { conditionType: 'USER', conditionValue: 'mallory', conditionStatus: true },
      201,
    )
  ).json() as { conditionId: string };
  await call(h, 'PATCH', `${ADMIN_API}/throttling/deny-policy/${deny.conditionId}`, adminAuth, {
    conditionStatus: false,
  });
  await call(h, 'DELETE', `${ADMIN_API}/throttling/deny-policy/${deny.conditionId}`, adminAuth);

  await call(h, 'DELETE', `${DP}/subscriptions/${subscriptionId}`, auth);
  await call(h, 'DELETE', mapping, auth);
  await call(h, 'DELETE', `${DP}/applications/${applicationId}`, auth);
  await call(h, 'DELETE', `${ADMIN_API}/users/${user}`, adminAuth);
  return {
    user,
    applicationId,
    subscriptionId,
    apiKeyIds: { first: k1.keyUUID, regenerated: k2.keyUUID },
    consumerKey: gen.consumerKey,
    keyMappingId: gen.keyMappingId,
    secretId: second.secretId,
    accessTokenJti,
    passwordTokenJti,
    keyManagerId: km.id,
    denyPolicyId: deny.conditionId,
    secrets,
  };
}

/** A Keycloak key manager body (nothing is contacted when it is saved). */
export function keyManagerBody(over: Record<string, unknown> = {}) {
  return {
    name: 'AuditKeycloak',
    type: 'Keycloak',
    displayName: 'Keycloak',
    issuer: 'https://idp.example.com/realms/portico',
    clientRegistrationEndpoint: 'https://idp.example.com/realms/portico/clients-registrations/openid-connect',
    tokenEndpoint: 'https://idp.example.com/realms/portico/protocol/openid-connect/token',
    certificates: {
      type: 'JWKS',
      value: 'https://idp.example.com/realms/portico/protocol/openid-connect/certs',
    },
    availableGrantTypes: ['client_credentials'],
    ...over,
  };
}
