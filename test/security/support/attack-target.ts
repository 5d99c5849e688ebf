import { Agent, request } from 'undici';
import { loadHomeConfig, resolveHome } from '../../../src/cli/home.js';
import { loadServerKeys, type ServerKeys } from '../../../src/cli/keys.js';
import { basic } from '../../support/control-plane-harness.js';
import { http, waitFor, type HttpResult } from '../../support/http.js';
import { startPortico, tempHome } from '../../support/portico-process.js';
import { randomOffset } from '../../support/stack.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What an attacker aims at: a real `portico start` process with PizzaShack serving OAuth2 and API keys. */
export interface AttackTarget {
  /** Plain-HTTP gateway port on 127.0.0.1 (8280 + offset). */
  gwPort: number;
  /** https://localhost:<9443 + offset> */
  cp: string;
  /** The resident key manager's issuer (what its tokens carry in `iss`). */
  issuer: string;
  adminPassword: string;
  /** The server's real keys, read from the home as the process did (for tokens only the issuer could sign). */
  keys: ServerKeys;
  /** A valid access token and API key of the admin's DefaultApplication, subscribed to PizzaShack. */
  accessToken: string;
  apiKey: string;
  /** The `application` claim of the API key (to sign look-alike keys). */
  application: { id: number; uuid: string };
  /** Generates an API key with the given restrictions. */
  generateApiKey(additionalProperties?: Record<string, string>): Promise<string>;
  /** A REST call to the control plane as admin. */
  rest(method: string, path: string, body?: unknown): Promise<HttpResult>;
  /** GET on the gateway over plain HTTP with a keep-alive client; headers as given. */
  call(path: string, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

export const MENU = '/pizzashack/1.0.0/menu';
const DEV = '/api/am/devportal/v3';
const PUB = '/api/am/publisher/v4';

/**
 * Starts Portico from dist/ on a temp home and a random port offset (127.0.0.1 is a trusted proxy, so a test can
 * choose the client IP through X-Forwarded-For), enables API keys on PizzaShack, subscribes the admin's
 * DefaultApplication and issues one access token and one API key (of the format `opts.toml` configures). Waits until the gateway answers 200 to both.
 */
export async function startAttackTarget(opts: { toml?: string } = {}): Promise<AttackTarget> {
  const offset = randomOffset();
  const dir = tempHome(
    `[server]\noffset = ${offset}\n[apim.gateway]\ntrusted_proxies = ["127.0.0.1/32", "::1/128"]\n${opts.toml ?? ''}`,
  );
  const run = await startPortico(dir);
  const cp = `https://localhost:${9443 + offset}`;
  const gwPort = 8280 + offset;
  const adminPassword = readFileSync(join(dir, 'initial-admin-password'), 'utf8').trim();
  const auth = { authorization: basic('admin', adminPassword) };
  const rest = (method: string, path: string, body?: unknown) =>
    http(`${cp}${path}`, { method, headers: auth, ...(body !== undefined ? { body } : {}) });
  const agent = new Agent({ connections: 4, pipelining: 1 });
  const call = async (path: string, headers: Record<string, string> = {}) => {
    const res = await request(`http://127.0.0.1:${gwPort}${path}`, { headers, dispatcher: agent });
    return { status: res.statusCode, body: await res.body.text() };
  };
  try {
    let apiId = '';
    await waitFor(async () => {
      const apis = await rest('GET', `${DEV}/apis`);
      apiId = apis.json().list?.find((a: { name: string }) => a.name === 'PizzaShackAPI')?.id ?? '';
      return apiId !== '';
    }, 30_000);
    const api = (await rest('GET', `${PUB}/apis/${apiId}`)).json();
    const put = await rest('PUT', `${PUB}/apis/${apiId}`, {
      ...api,
      securityScheme: [...new Set([...(api.securityScheme as string[]), 'api_key'])],
    });
    if (put.status !== 200) throw new Error(`enable api keys: ${put.status} ${put.text}`);
    const rev = await rest('POST', `${PUB}/apis/${apiId}/revisions`, { description: 'attack suite' });
    const dep = await rest('POST', `${PUB}/apis/${apiId}/deploy-revision?revisionId=${rev.json().id}`, [
      { name: 'Default', vhost: 'localhost', displayOnDevportal: true },
    ]);
    if (dep.status !== 201) throw new Error(`deploy: ${dep.status} ${dep.text}`);
    const app = (await rest('GET', `${DEV}/applications`))
      .json()
      .list.find((a: { name: string }) => a.name === 'DefaultApplication').applicationId as string;
    const sub = await rest('POST', `${DEV}/subscriptions`, {
      applicationId: app,
      apiId,
      throttlingPolicy: 'Unlimited',
    });
    if (sub.status !== 201) throw new Error(`subscribe: ${sub.status} ${sub.text}`);
    const keys = await rest('POST', `${DEV}/applications/${app}/generate-keys`, {
      keyType: 'PRODUCTION',
      grantTypesToBeSupported: ['client_credentials'],
      validityTime: 3600,
    });
    const accessToken = keys.json().token.accessToken as string;
    const generateApiKey = async (additionalProperties?: Record<string, string>) => {
      const r = await rest(
        'POST',
        `${DEV}/applications/${app}/api-keys/PRODUCTION/generate`,
        additionalProperties ? { validityPeriod: 3600, additionalProperties } : { validityPeriod: 3600 },
      );
      if (r.status !== 200) throw new Error(`generate api key: ${r.status} ${r.text}`);
      return r.json().apikey as string;
    };
    const apiKey = await generateApiKey();
    await waitFor(
      async () =>
        (await call(MENU, { apikey: apiKey })).status === 200 &&
        (await call(MENU, { authorization: `Bearer ${accessToken}` })).status === 200,
      15_000,
    );
    const home = resolveHome(dir);
    // An opaque key (`[apim.devportal] api_key_format = "opaque"`) carries no claims.
    const payload = (
      apiKey.includes('.')
        ? JSON.parse(Buffer.from(apiKey.split('.')[1]!, 'base64url').toString())
        : { application: { id: 0, uuid: app } }
    ) as { application: { id: number; uuid: string } };
    const issuer = (
      JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { iss: string }
    ).iss;
    return {
      gwPort,
      cp,
      issuer,
      adminPassword,
      keys: await loadServerKeys(home, loadHomeConfig(home)),
      accessToken,
      apiKey,
      application: payload.application,
      generateApiKey,
      rest,
      call,
      async stop() {
        await agent.close();
        await run.stop();
      },
    };
  } catch (err) {
    await agent.close();
    await run.stop();
    throw err;
  }
}
