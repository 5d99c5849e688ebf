import {
  emptySnapshot,
  type Snapshot,
  type SnapshotApi,
  type SnapshotApplication,
  type SnapshotDelta,
  type SnapshotKeyManager,
  type SnapshotKeyMapping,
  type SnapshotSubscription,
  type SnapshotThrottlePolicy,
} from '../../core/index.js';
import { fixtureApi } from './fixture-snapshot.js';
import { apiKeySigner, keyManagerKeys } from './mint-tokens.js';

/**
 * Random change sequences for the live-index property test: a model of what a control plane's store holds, a
 * seeded generator, and one random change at a time (mutating the model as the store would, returning the delta
 * a gateway would receive). Revocation expiries are `nowSec + 1 h` or later, so nothing is pruned mid-test.
 */
const JWK = keyManagerKeys('k1').jwk;

/** The model a control plane would hold: the entities by their delta key. */
export interface Model {
  apis: Map<string, SnapshotApi>;
  applications: Map<number, SnapshotApplication>;
  subscriptions: Map<string, SnapshotSubscription>;
  mappings: Map<string, SnapshotKeyMapping>;
  policies: Map<string, SnapshotThrottlePolicy>;
  revoked: Map<string, number | null>;
  keyManagers: Map<string, SnapshotKeyManager>;
  trustedCerts: Record<string, string>;
}

export const emptyModel = (): Model => ({
  apis: new Map(),
  applications: new Map(),
  subscriptions: new Map(),
  mappings: new Map(),
  policies: new Map(),
  revoked: new Map(),
  keyManagers: new Map(),
  trustedCerts: {},
});

export const toSnapshot = (m: Model, version: number): Snapshot => ({
  ...emptySnapshot(),
  version,
  apis: [...m.apis.values()],
  applications: [...m.applications.values()],
  subscriptions: [...m.subscriptions.values()],
  keyMappings: [...m.mappings.values()],
  policies: [...m.policies.values()],
  revokedTokens: [...m.revoked].map(([jti, exp]) => ({ jti, exp })),
  keyManagers: [...m.keyManagers.values()],
  trustedCerts: { ...m.trustedCerts },
});

/** A seeded generator (mulberry32), so a failing sequence can be replayed. */
export function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const LIFECYCLES = ['PUBLISHED', 'CREATED', 'BLOCKED', 'DEPRECATED', 'RETIRED'] as const;
const POLICY_NAMES = ['Gold', 'Silver', 'Unlimited'];
const LEVELS = ['subscription', 'application', 'api'] as const;

/** One random change: mutates the model the way the control plane's store would and returns the delta. */
export function randomChange(m: Model, pick: (n: number) => number, nowSec: number): SnapshotDelta {
  switch (pick(9)) {
    case 0: {
      const id = `api${pick(5)}`;
      if (pick(4) === 0) {
        m.apis.delete(id);
        return { kind: 'api', key: id, api: null };
      }
      const api = fixtureApi(id, `/ctx-${id}`, 'http://127.0.0.1:1', {
        lifecycle: LIFECYCLES[pick(LIFECYCLES.length)]!,
        apiThrottlingPolicy: pick(3) === 0 ? 'Gold' : null,
      });
      m.apis.set(id, api);
      return { kind: 'api', key: id, api };
    }
    case 1: {
      const id = 1 + pick(6);
      if (pick(3) === 0) {
        // The store cascades; the delta carries only the application.
        m.applications.delete(id);
        for (const [k, s] of m.subscriptions) if (s.applicationId === id) m.subscriptions.delete(k);
        for (const [k, x] of m.mappings) if (x.applicationId === id) m.mappings.delete(k);
        return { kind: 'application', key: String(id), application: null };
      }
      const application: SnapshotApplication = {
        id,
        uuid: `app-${id}`,
        name: `App ${id}`,
        owner: 'sam',
        throttlingPolicy: POLICY_NAMES[pick(3)]!,
        attributes: {},
      };
      m.applications.set(id, application);
      return { kind: 'application', key: String(id), application };
    }
    case 2: {
      const apiId = `api${pick(5)}`;
      const applicationId = 1 + pick(6);
      const key = `sub-${apiId}-${applicationId}`;
      if (pick(3) === 0 || !m.applications.has(applicationId)) {
        m.subscriptions.delete(key);
        return { kind: 'subscription', key, subscription: null, apiId, applicationId };
      }
      const subscription: SnapshotSubscription = {
        id: key,
        apiId,
        applicationId,
        policy: POLICY_NAMES[pick(3)]!,
        status: pick(4) === 0 ? 'BLOCKED' : 'UNBLOCKED',
      };
      m.subscriptions.set(key, subscription);
      return { kind: 'subscription', key, subscription, apiId, applicationId };
    }
    case 3: {
      const keyManager = pick(2) === 0 ? 'KM-A' : 'KM-B';
      const consumerKey = `ck${pick(8)}`;
      const key = `${keyManager}\n${consumerKey}`;
      const applicationId = 1 + pick(6);
      if (pick(3) === 0 || !m.applications.has(applicationId)) {
        m.mappings.delete(key);
        return { kind: 'keymapping', key, mapping: null };
      }
      const mapping: SnapshotKeyMapping = {
        keyManager,
        consumerKey,
        applicationId,
        keyType: pick(2) === 0 ? 'PRODUCTION' : 'SANDBOX',
      };
      m.mappings.set(key, mapping);
      return { kind: 'keymapping', key, mapping };
    }
    case 4: {
      const name = POLICY_NAMES[pick(3)]!;
      const level = LEVELS[pick(3)]!;
      const key = `${level}:${name}`;
      if (pick(3) === 0) {
        m.policies.delete(key);
        return { kind: 'policy', key, policy: null };
      }
      const policy: SnapshotThrottlePolicy = {
        name,
        level,
        requestCount: 1 + pick(100),
        unitTimeMs: 60_000,
        stopOnQuotaReach: true,
        burst: null,
      };
      m.policies.set(key, policy);
      return { kind: 'policy', key, policy };
    }
    case 5: {
      const jti = `jti-${pick(30)}`;
      // Revocation only adds; once never-expiring, it stays so.
      const exp = m.revoked.get(jti) === null || pick(4) === 0 ? null : nowSec + 3600 + pick(1000);
      if (m.revoked.has(jti) && m.revoked.get(jti) !== null && exp !== null)
        return { kind: 'revocation', key: jti, exp: m.revoked.get(jti)! };
      m.revoked.set(jti, exp);
      return { kind: 'revocation', key: jti, exp };
    }
    case 6:
    case 7: {
      const name = pick(2) === 0 ? 'KM-A' : 'KM-B';
      if (pick(3) === 0) {
        m.keyManagers.delete(name);
        return { kind: 'keymanager', key: name, keyManager: null };
      }
      const keyManager: SnapshotKeyManager = {
        name,
        type: 'default',
        issuer: `https://iss-${pick(2)}`,
        enabled: pick(4) !== 0,
        consumerKeyClaim: 'azp',
        scopesClaim: 'scope',
        validation: 'jwks',
        jwks: [JWK],
        jwksUri: null,
        introspectionEndpoint: null,
        introspectionAuth: null,
      };
      m.keyManagers.set(name, keyManager);
      return { kind: 'keymanager', key: name, keyManager };
    }
    default: {
      m.trustedCerts = pick(2) === 0 ? {} : { gateway_certificate_alias: apiKeySigner.certPem };
      return { kind: 'truststore', key: '*', trustedCerts: { ...m.trustedCerts } };
    }
  }
}
