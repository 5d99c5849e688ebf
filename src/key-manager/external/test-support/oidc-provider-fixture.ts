import { generateKeyPairSync, randomBytes, type JsonWebKey } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** How the real oidc-provider is dressed up: Keycloak-like paths and claims, or Okta-like. */
export type ProviderFlavor = 'keycloak' | 'okta';

/** A running oidc-provider acting as an external key manager (tests only). */
export interface OidcProviderFixture {
  readonly flavor: ProviderFlavor;
  readonly origin: string;
  readonly issuer: string;
  readonly wellKnown: string;
  /** Keycloak: the RFC 7591 endpoint. Okta: the SSWS-protected client API (`/oauth2/v1/clients`). */
  readonly registrationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  /** Keycloak: the initial access token the DCR endpoint wants. */
  readonly initialAccessToken: string;
  /** Okta: the API token (`Authorization: SSWS ...`). */
  readonly apiToken: string;
  /** The key ids the provider publishes, signing key first. */
  kids(): string[];
  /** Requests the JWKS endpoint served so far. */
  jwksRequests(): number;
  /** Adds a new signing key (published first, used for new tokens); the old keys stay published. */
  rotateKeys(): void;
  /** Delays every JWKS response by `ms` (a slow provider). */
  setJwksDelay(ms: number): void;
  /** Makes every request fail at the socket (the provider is down) or serve again. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

const RESOURCE = 'https://api.portico.test';
const SCOPES = ['default', 'read', 'write'];

/**
 * Starts the real `oidc-provider` package on 127.0.0.1:0. Keycloak flavour: issuer `/realms/portico`, DCR with an
 * initial access token at `/clients-registrations/openid-connect`, claims `azp` + `scope`. Okta flavour: issuer
 * `/oauth2/default`, a small SSWS-checking client API at `/oauth2/v1/clients` that calls the provider's own
 * registration endpoint (real RFC 7591 underneath), claims `cid` + `scp` (array). Access tokens are RS256 JWTs.
 */
export async function startOidcProvider(flavor: ProviderFlavor): Promise<OidcProviderFixture> {
  const keys: JsonWebKey[] = [newSigningKey()];
  const initialAccessToken = `iat-${randomBytes(16).toString('hex')}`;
  const apiToken = `00${randomBytes(20).toString('hex')}`;
  const base = flavor === 'keycloak' ? '/realms/portico' : '/oauth2/default';
  let provider: Provider | null = null;
  let handler: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | null = null;
  let jwksHits = 0;
  let jwksDelayMs = 0;
  let down = false;

  const server = http.createServer((req, res) => {
    if (down) {
      req.socket.destroy();
      return;
    }
    const url = req.url ?? '/';
    if (flavor === 'okta' && url.startsWith('/oauth2/v1/clients')) {
      void oktaClientApi(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errorCode: 'E0000009', errorSummary: String(err) }));
      });
      return;
    }
    if (!url.startsWith(base) || handler === null) {
      res.writeHead(404).end();
      return;
    }
    const isJwks = url.includes('/certs') || url.includes('/v1/keys');
    if (isJwks) jwksHits++;
    // Mounting under the issuer path: oidc-provider derives its URLs from originalUrl vs url.
    (req as http.IncomingMessage & { originalUrl?: string }).originalUrl = url;
    req.url = url.slice(base.length) || '/';
    const serve = handler;
    if (isJwks && jwksDelayMs > 0) setTimeout(() => serve(req, res), jwksDelayMs);
    else serve(req, res);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${origin}${base}`;
  const routes =
    flavor === 'keycloak'
      ? {
          registration: '/clients-registrations/openid-connect',
          token: '/protocol/openid-connect/token',
          jwks: '/protocol/openid-connect/certs',
          introspection: '/protocol/openid-connect/token/introspect',
          revocation: '/protocol/openid-connect/revoke',
          userinfo: '/protocol/openid-connect/userinfo',
          authorization: '/protocol/openid-connect/auth',
        }
      : {
          registration: '/v1/register',
          token: '/v1/token',
          jwks: '/v1/keys',
          introspection: '/v1/introspect',
          revocation: '/v1/revoke',
          userinfo: '/v1/userinfo',
          authorization: '/v1/authorize',
        };

  const storage = new Map<string, Record<string, unknown>>();
  const build = (): void => {
    provider = new Provider(issuer, {
      adapter: mapAdapter(storage),
      ttl: { ClientCredentials: 3600, AccessToken: 3600 },
      routes,
      jwks: { keys: keys.map((k) => ({ ...k })) },
      scopes: ['openid', 'offline_access', ...SCOPES],
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        introspection: { enabled: true },
        revocation: { enabled: true },
        registration: { enabled: true, initialAccessToken },
        registrationManagement: { enabled: false },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => RESOURCE,
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({
            scope: SCOPES.join(' '),
            audience: RESOURCE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 3600,
            jwt: { sign: { alg: 'RS256' } },
          }),
        },
      },
      formats: {
        customizers: {
          jwt: (_ctx: unknown, _token: unknown, jwt: { payload: Record<string, unknown> }) => {
            const p = jwt.payload;
            if (flavor === 'keycloak') {
              p.azp = p.client_id;
            } else {
              p.cid = p.client_id;
              p.scp = typeof p.scope === 'string' ? p.scope.split(' ') : [];
              delete p.scope;
              delete p.client_id;
            }
          },
        },
      },
    });
    handler = provider.callback();
  };
  build();

  const sswsOk = (req: http.IncomingMessage) => req.headers.authorization === `SSWS ${apiToken}`;
  const send = (res: http.ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const clients = () => {
    if (provider === null) throw new Error('provider not started');
    return provider.Client.adapter;
  };

  // Okta's client API, enough of it for the connector: create (through the real DCR), read, delete, new secret.
  const oktaClientApi = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (!sswsOk(req)) {
      send(res, 401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided' });
      return;
    }
    const path = (req.url ?? '').split('?')[0] ?? '';
    const rest = path.slice('/oauth2/v1/clients'.length);
    if (req.method === 'POST' && rest === '') {
      const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      // oidc-provider knows `web` and `native`; Okta's `service` is a confidential web client.
      const appType = body.application_type === 'native' ? 'native' : 'web';
      const reg = await fetch(`${issuer}${routes.registration}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${initialAccessToken}` },
        body: JSON.stringify({ ...body, application_type: appType }),
      });
      send(res, reg.status, await reg.json());
      return;
    }
    const m = /^\/([^/]+)(\/lifecycle\/newSecret)?$/.exec(rest);
    const id = m?.[1];
    if (id === undefined) {
      send(res, 404, {
        errorCode: 'E0000022',
        errorSummary: 'The endpoint does not support the provided HTTP method',
      });
      return;
    }
    const meta = await clients().find(decodeURIComponent(id));
    if (!meta) {
      send(res, 404, {
        errorCode: 'E0000007',
        errorSummary: `Not found: Resource not found: ${id} (AppInstance)`,
      });
      return;
    }
    if (req.method === 'GET' && !m?.[2]) {
      send(res, 200, { ...meta, client_secret: undefined });
    } else if (req.method === 'DELETE' && !m?.[2]) {
      await clients().destroy(decodeURIComponent(id));
      send(res, 204);
    } else if (req.method === 'POST' && m?.[2]) {
      const next = { ...meta, client_secret: randomBytes(32).toString('base64url') };
      await clients().upsert(decodeURIComponent(id), next);
      send(res, 200, next);
    } else {
      send(res, 405, {
        errorCode: 'E0000022',
        errorSummary: 'The endpoint does not support the provided HTTP method',
      });
    }
  };

  return {
    flavor,
    origin,
    issuer,
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    registrationEndpoint:
      flavor === 'keycloak' ? `${issuer}${routes.registration}` : `${origin}/oauth2/v1/clients`,
    tokenEndpoint: `${issuer}${routes.token}`,
    jwksUri: `${issuer}${routes.jwks}`,
    initialAccessToken,
    apiToken,
    kids: () => keys.map((k) => String(k.kid)),
    jwksRequests: () => jwksHits,
    rotateKeys() {
      keys.unshift(newSigningKey());
      // A new Provider instance is how oidc-provider takes a new key set (a restart on the same port); the
      // storage outlives it, so registered clients survive like in a real restart.
      build();
    },
    setJwksDelay(ms) {
      jwksDelayMs = ms;
    },
    setDown(value) {
      down = value;
      if (value) server.closeAllConnections();
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** oidc-provider's storage interface over a Map shared by the provider instances of one fixture. */
function mapAdapter(storage: Map<string, Record<string, unknown>>) {
  return class MapAdapter {
    constructor(private readonly model: string) {}
    private key(id: string) {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: Record<string, unknown>) {
      storage.set(this.key(id), payload);
    }
    async find(id: string) {
      return storage.get(this.key(id));
    }
    async findByUid(uid: string) {
      return [...storage.values()].find((p) => p.uid === uid);
    }
    async findByUserCode(code: string) {
      return [...storage.values()].find((p) => p.userCode === code);
    }
    async consume(id: string) {
      const p = storage.get(this.key(id));
      if (p) p.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      storage.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [k, p] of storage) if (p.grantId === grantId) storage.delete(k);
    }
  };
}

function newSigningKey(): JsonWebKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    ...privateKey.export({ format: 'jwk' }),
    kid: `kid-${randomBytes(6).toString('hex')}`,
    use: 'sig',
    alg: 'RS256',
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
