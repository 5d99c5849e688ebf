import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { fakeClock, systemClock, type Clock } from '../../src/core/index.js';
import { parseConfig, type Config } from '../../src/config/index.js';
import { createInProcessBus, type EventBus } from '../../src/events/index.js';
import { createChangeLog, type ChangeLog, type Store } from '../../src/store/index.js';
import {
  buildControlPlaneContext,
  createControlPlane,
  type ChangeFeed,
  type VersionedDelta,
  createUserService,
  createAuditLog,
  createWebhookOutbox,
  type ControlPlane,
  type ControlPlaneContext,
  type RouteModule,
  type SigningKey,
} from '../../src/control-plane/index.js';
import { selfSignedKey } from './self-signed.js';

export const ADMIN = { username: 'admin', password: 'admin-password-1' };

/** Basic auth header value for a user. */
export const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

export interface Harness {
  ctx: ControlPlaneContext;
  cp: ControlPlane;
  app: FastifyInstance;
  store: Store;
  bus: EventBus;
  /** The write path (transactional outbox) and the feed that relays it, as gateways see it. */
  changes: ChangeLog;
  feed: ChangeFeed;
  /** Starts collecting the deltas the change feed relays; `all()` waits for what is committed so far. */
  recordDeltas(): { all(): Promise<VersionedDelta[]> };
  clock: Clock;
  primaryKey: SigningKey;
  close(): Promise<void>;
}

let sharedKey: SigningKey | null = null;

/**
 * A control plane on a real store (the caller opens it, usually through testDialects()) with the given route
 * modules, an admin user, a generated signing key and the store's trust store (seeded with that key's certificate). Requests go through
 * `app.inject` (the real Fastify pipeline).
 */
export async function createHarness(
  store: Store,
  modules: readonly RouteModule[],
  opts: { toml?: string; fakeTime?: boolean; logger?: Logger; pollIntervalMs?: number } = {},
): Promise<Harness> {
  const config: Readonly<Config> = parseConfig(opts.toml ?? '', 'deployment.toml', {});
  const clock = opts.fakeTime ? fakeClock(Date.now()) : systemClock;
  const logger = opts.logger ?? pino({ level: process.env.PORTICO_TEST_LOG ?? 'silent' });
  const bus = createInProcessBus();
  const webhooks = createWebhookOutbox(clock);
  const audit = createAuditLog({ store, clock, logger, sinks: [webhooks.fromAudit] });
  const users = createUserService(store, clock, {
    logger,
    audit,
    allowInsecureAuth: config.server.allow_insecure_auth,
    customRoles: config.user_store.custom_roles,
  });
  if (!(await users.get(ADMIN.username))) await users.create(ADMIN.username, ADMIN.password, ['admin']);
  sharedKey ??= selfSignedKey('gateway_certificate_alias');
  const primaryKey = sharedKey;
  const certs: Record<string, string> = { gateway_certificate_alias: primaryKey.certificatePem };
  const issuer = 'https://localhost:9443/oauth2/token';
  const residentKeyManager = {
    name: 'Resident Key Manager',
    type: 'default',
    issuer,
    enabled: true,
    consumerKeyClaim: 'azp',
    scopesClaim: 'scope',
    validation: 'jwks' as const,
    jwks: [],
    jwksUri: null,
    introspectionEndpoint: null,
    introspectionAuth: null,
  };
  const extras = { residentKeyManager };
  const changes = createChangeLog(store, clock);
  const { ctx, close: closeContext } = await buildControlPlaneContext({
    config,
    store,
    clock,
    logger,
    bus,
    changes,
    users,
    audit,
    webhooks,
    extras,
    pollIntervalMs: opts.pollIntervalMs ?? 60_000,
    primaryKey,
    apiKeySigner: primaryKey,
    apiKeyHashSecret: Buffer.from('test-api-key-hash-secret-0123456789abcdef'),
    trustSeed: () => ({ ...certs }),
    urls: {
      controlPlane: 'https://localhost:9443',
      controlPlaneHttp: 'http://localhost:9763',
      gatewayHttps: 'https://localhost:8243',
      gatewayHttp: 'http://localhost:8280',
      issuer,
    },
    version: '0.0.0-test',
  });
  const { feed } = ctx;
  const cp = await createControlPlane(ctx, modules);
  await cp.app.ready();
  return {
    ctx,
    cp,
    app: cp.app,
    store,
    bus,
    changes,
    feed,
    recordDeltas() {
      const got: VersionedDelta[] = [];
      feed.subscribe((b) => got.push(...(b.deltas as VersionedDelta[])));
      return {
        async all() {
          await feed.pump();
          return [...got];
        },
      };
    },
    clock,
    primaryKey,
    async close() {
      closeContext();
      await cp.app.close();
      await store.close();
    },
  };
}
