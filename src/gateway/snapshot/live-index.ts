import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type {
  DeltaBatch,
  Snapshot,
  SnapshotAccessToken,
  SnapshotApi,
  SnapshotApiKey,
  SnapshotApplication,
  SnapshotKeyManager,
  SnapshotKeyMapping,
  SnapshotSubscription,
  SnapshotThrottlePolicy,
} from '../../core/index.js';
import { compileResourceTemplate } from '../router/resource-template.js';
import { compileApiBase, compileKeyManager, compileTrustedCerts } from './compile-parts.js';
import type {
  CompiledApi,
  CompiledKeyManager,
  CompiledResource,
  CompiledSnapshot,
  PipelineBuilder,
} from './compiled-snapshot.js';
import { AccessTokenIndex } from './access-token-index.js';
import { applyDeltaBatch, type BatchEffects, type DeltaTarget } from './apply-delta-batch.js';
import { BlockingIndex } from './blocking-index.js';
import { RevocationSet } from './revocation-set.js';

const SERVED = new Set(['PUBLISHED', 'DEPRECATED', 'BLOCKED']);
/** When one policy name exists at several levels, the by-name index holds the first level of this list. */
const LEVEL_PRECEDENCE = ['subscription', 'application', 'api'] as const;

export interface LiveIndexOptions {
  readonly buildPipeline: PipelineBuilder;
  readonly logger: Logger;
  readonly clockSkewSeconds: number;
  /** Warn each time this many never-expiring revocations have accumulated (0 = never). */
  readonly neverExpiringWarnAt?: number;
}

/**
 * The gateway's state as the request path reads it ({@link CompiledSnapshot}), built once from a full snapshot
 * and then kept current by {@link apply}ing delta batches in O(change): each delta replaces or removes one
 * entry (an API's compiled route, an application with its subscriptions and key mappings, a policy, a key
 * manager, the trust store, a revoked jti). Handlers hold this object and read its maps per request; Node runs
 * one request's pipeline without interruption, so a batch is never seen half-applied.
 *
 * A full snapshot builds a new index (the gateway swaps the reference); both paths share the per-entity
 * compile steps, so applying deltas and recompiling the resulting snapshot give the same state.
 */
export class LiveIndex implements CompiledSnapshot {
  readonly routes = new Map<string, CompiledApi>();
  readonly keyManagersByIssuer = new Map<string, CompiledKeyManager>();
  readonly keyMappings = new Map<string, Map<string, SnapshotKeyMapping>>();
  readonly applications = new Map<number, SnapshotApplication>();
  readonly policies = new Map<string, SnapshotThrottlePolicy>();
  readonly trustedKeys = new Map<string, KeyObject>();
  readonly revocations: RevocationSet;
  readonly apiKeys = new Map<string, SnapshotApiKey>();
  readonly opaqueApiKeys = new Map<string, SnapshotApiKey>();
  readonly blocking: BlockingIndex;
  readonly #accessTokens: AccessTokenIndex;
  #version: number;
  readonly #opts: LiveIndexOptions;
  readonly #routeOfApi = new Map<string, string>();
  readonly #subscriptions = new Map<string, SnapshotSubscription>();
  readonly #subscriptionsByApi = new Map<string, Map<number, SnapshotSubscription>>();
  readonly #subscriptionsOfApp = new Map<number, Set<string>>();
  readonly #mappings = new Map<string, SnapshotKeyMapping>();
  readonly #mappingsOfApp = new Map<number, Set<string>>();
  readonly #policiesByKey = new Map<string, SnapshotThrottlePolicy>();
  readonly #keyManagers = new Map<string, CompiledKeyManager>();
  readonly #deltaTarget: DeltaTarget = {
    setApi: (id, api) => this.#setApi(id, api),
    setApplication: (id, app) => this.#setApplication(id, app),
    setSubscription: (uuid, sub) => this.#setSubscription(uuid, sub),
    setMapping: (key, mapping) => this.#setMapping(key, mapping),
    setPolicy: (key, policy) => this.#setPolicy(key, policy),
    revoke: (jti, exp) => this.revocations.add(jti, exp),
    setKeyManager: (name, km) => this.#setKeyManager(name, km),
    setTrustedCerts: (certs) => compileTrustedCerts(certs, this.trustedKeys, this.#opts.logger),
    setApiKey: (jti, key) => this.#setApiKey(jti, key),
    setBlockingCondition: (id, condition) => this.blocking.set(id, condition),
    setAccessToken: (id, token, nowMs) => this.#accessTokens.apply(id, token, nowMs),
  };

  constructor(snapshot: Snapshot, opts: LiveIndexOptions, nowMs: number) {
    this.#opts = opts;
    this.#version = snapshot.version;
    this.revocations = new RevocationSet(opts.clockSkewSeconds, opts.neverExpiringWarnAt ?? 100_000, (n) =>
      opts.logger.warn({ neverExpiring: n }, 'gateway: many revoked tokens that never expire are held'),
    );
    for (const p of snapshot.policies) this.#setPolicy(`${p.level}:${p.name}`, p);
    for (const km of snapshot.keyManagers) this.#setKeyManager(km.name, km);
    compileTrustedCerts(snapshot.trustedCerts, this.trustedKeys, opts.logger);
    for (const a of snapshot.applications) this.applications.set(a.id, a);
    for (const m of snapshot.keyMappings) this.#setMapping(`${m.keyManager}\n${m.consumerKey}`, m);
    for (const s of snapshot.subscriptions) this.#setSubscription(s.id, s);
    for (const r of snapshot.revokedTokens) this.revocations.add(r.jti, r.exp);
    for (const k of snapshot.apiKeys ?? []) this.#setApiKey(k.jti, k);
    this.#accessTokens = new AccessTokenIndex(snapshot.accessTokens ?? [], nowMs);
    this.revocations.prune(nowMs);
    this.blocking = new BlockingIndex(snapshot.blockingConditions ?? []);
    for (const api of snapshot.apis) this.#setApi(api.id, api);
  }

  get version(): number {
    return this.#version;
  }

  /** Live opaque access tokens by HMAC. */
  get opaqueAccessTokens(): ReadonlyMap<string, SnapshotAccessToken> {
    return this.#accessTokens.byHash;
  }

  /** Revoked jti → expiry (epoch seconds, null = never). */
  get revoked(): ReadonlyMap<string, number | null> {
    return this.revocations.byJti;
  }

  /** Sizes, for logs, health and benchmarks. */
  stats(): Record<string, number> {
    return {
      version: this.#version,
      apis: this.routes.size,
      applications: this.applications.size,
      subscriptions: this.#subscriptions.size,
      keyMappings: this.#mappings.size,
      revocations: this.revocations.size,
      apiKeys: this.apiKeys.size,
      accessTokens: this.#accessTokens.size,
      neverExpiringRevocations: this.revocations.neverExpiring,
      blockingConditions: this.blocking.size,
    };
  }

  /** Applies a batch of the change log ({@link applyDeltaBatch}); the version moves only when it is `applied`. */
  apply(batch: DeltaBatch, nowMs: number): BatchEffects {
    const effects = applyDeltaBatch(this.#deltaTarget, this.#version, batch, nowMs, this.#opts.logger);
    if (effects.outcome !== 'applied') return effects;
    this.#version = batch.to;
    this.revocations.prune(nowMs);
    this.#accessTokens.sweep(nowMs);
    return effects;
  }

  accessTokenKnown(hash: string): boolean {
    return this.#accessTokens.known(hash);
  }

  learnAccessToken(token: SnapshotAccessToken, nowMs: number): boolean {
    return this.#accessTokens.learn(token, nowMs);
  }

  #setApiKey(jti: string, key: SnapshotApiKey | null): void {
    const old = this.apiKeys.get(jti);
    if (old?.hash != null) this.opaqueApiKeys.delete(old.hash);
    if (key === null) {
      this.apiKeys.delete(jti);
      return;
    }
    this.apiKeys.set(jti, key);
    if (key.hash !== null) this.opaqueApiKeys.set(key.hash, key);
  }

  #setApi(id: string, api: SnapshotApi | null): void {
    const route = this.#routeOfApi.get(id);
    if (route !== undefined) {
      if (this.routes.get(route)?.api.id === id) this.routes.delete(route);
      this.#routeOfApi.delete(id);
    }
    if (api === null || !SERVED.has(api.lifecycle)) return;
    const { buildPipeline, logger } = this.#opts;
    const base = compileApiBase(api, getOrCreate(this.#subscriptionsByApi, api.id), logger);
    const resources: CompiledResource[] = api.resources.map((resource) =>
      Object.freeze({
        resource,
        verb: resource.verb.toUpperCase(),
        template: compileResourceTemplate(resource.target),
        pipeline: Object.freeze([...buildPipeline(base, resource, this)]),
      }),
    );
    resources.sort((a, b) => b.template.specificity - a.template.specificity);
    this.routes.set(base.contextVersion, Object.freeze({ ...base, resources: Object.freeze(resources) }));
    this.#routeOfApi.set(id, base.contextVersion);
  }

  #setApplication(id: number, app: SnapshotApplication | null): void {
    if (app !== null) {
      this.applications.set(id, app);
      return;
    }
    this.applications.delete(id);
    for (const uuid of [...(this.#subscriptionsOfApp.get(id) ?? [])]) this.#setSubscription(uuid, null);
    for (const key of [...(this.#mappingsOfApp.get(id) ?? [])]) this.#setMapping(key, null);
  }

  #setSubscription(uuid: string, sub: SnapshotSubscription | null): void {
    const old = this.#subscriptions.get(uuid);
    if (old !== undefined) {
      this.#subscriptions.delete(uuid);
      const byApp = this.#subscriptionsByApi.get(old.apiId);
      if (byApp?.get(old.applicationId) === old) byApp.delete(old.applicationId);
      if (byApp?.size === 0 && !this.#routeOfApi.has(old.apiId)) this.#subscriptionsByApi.delete(old.apiId);
      removeFromSet(this.#subscriptionsOfApp, old.applicationId, uuid);
    }
    if (sub === null) return;
    this.#subscriptions.set(uuid, sub);
    getOrCreate(this.#subscriptionsByApi, sub.apiId).set(sub.applicationId, sub);
    getOrCreateSet(this.#subscriptionsOfApp, sub.applicationId).add(uuid);
  }

  #setMapping(key: string, mapping: SnapshotKeyMapping | null): void {
    const old = this.#mappings.get(key);
    if (old !== undefined) {
      this.#mappings.delete(key);
      const byKey = this.keyMappings.get(old.keyManager);
      byKey?.delete(old.consumerKey);
      if (byKey?.size === 0) this.keyMappings.delete(old.keyManager);
      removeFromSet(this.#mappingsOfApp, old.applicationId, key);
    }
    if (mapping === null) return;
    this.#mappings.set(key, mapping);
    getOrCreate(this.keyMappings, mapping.keyManager).set(mapping.consumerKey, mapping);
    getOrCreateSet(this.#mappingsOfApp, mapping.applicationId).add(key);
  }

  #setPolicy(key: string, policy: SnapshotThrottlePolicy | null): void {
    const old = this.#policiesByKey.get(key);
    if (policy === null) this.#policiesByKey.delete(key);
    else this.#policiesByKey.set(key, policy);
    if (old !== undefined) this.#resolvePolicyName(old.name);
    if (policy !== null && policy.name !== old?.name) this.#resolvePolicyName(policy.name);
  }

  #resolvePolicyName(name: string): void {
    for (const level of LEVEL_PRECEDENCE) {
      const p = this.#policiesByKey.get(`${level}:${name}`);
      if (p !== undefined) {
        this.policies.set(name, p);
        return;
      }
    }
    this.policies.delete(name);
  }

  #setKeyManager(name: string, km: SnapshotKeyManager | null): void {
    const old = this.#keyManagers.get(name);
    if (km === null) this.#keyManagers.delete(name);
    else this.#keyManagers.set(name, compileKeyManager(km, this.#opts.logger));
    if (old !== undefined) this.#resolveIssuer(old.keyManager.issuer);
    if (km !== null && km.issuer !== old?.keyManager.issuer) this.#resolveIssuer(km.issuer);
  }

  /** The enabled key manager of an issuer; when several claim one, the first by name (key managers are few). */
  #resolveIssuer(issuer: string): void {
    let best: CompiledKeyManager | undefined;
    for (const [name, c] of this.#keyManagers) {
      if (!c.keyManager.enabled || c.keyManager.issuer !== issuer) continue;
      if (best === undefined || name < best.keyManager.name) best = c;
    }
    if (best === undefined) this.keyManagersByIssuer.delete(issuer);
    else this.keyManagersByIssuer.set(issuer, best);
  }
}

function getOrCreate<K, K2, V>(map: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let inner = map.get(key);
  if (inner === undefined) map.set(key, (inner = new Map()));
  return inner;
}

function getOrCreateSet<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let inner = map.get(key);
  if (inner === undefined) map.set(key, (inner = new Set()));
  return inner;
}

function removeFromSet<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
