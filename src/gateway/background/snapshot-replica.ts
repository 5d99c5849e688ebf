import {
  SNAPSHOT_SCHEMA,
  type DeltaBatch,
  type Snapshot,
  type SnapshotAccessToken,
  type SnapshotApi,
  type SnapshotApiKey,
  type SnapshotApplication,
  type SnapshotBlockingCondition,
  type SnapshotKeyManager,
  type SnapshotKeyMapping,
  type SnapshotRevokedToken,
  type SnapshotSubscription,
  type SnapshotThrottlePolicy,
} from '../../core/index.js';

/**
 * The control plane's snapshot as this gateway knows it: a full snapshot patched with every batch applied since,
 * keyed like the deltas, so a batch costs O(change). It is what the gateway persists (one JSON-able snapshot, not
 * a snapshot plus a growing journal of batches: a restart then loads one file, and the file never grows with the
 * number of changes) and what whole-snapshot consumers receive. Entries are shared with the snapshots it builds,
 * so a built snapshot costs its arrays, not a copy of every entity.
 */
export class SnapshotReplica {
  private readonly apis = new Map<string, SnapshotApi>();
  private readonly applications = new Map<string, SnapshotApplication>();
  private readonly keyMappings = new Map<string, SnapshotKeyMapping>();
  private readonly subscriptions = new Map<string, SnapshotSubscription>();
  private readonly policies = new Map<string, SnapshotThrottlePolicy>();
  private readonly keyManagers = new Map<string, SnapshotKeyManager>();
  private readonly revoked = new Map<string, SnapshotRevokedToken>();
  private readonly blockingConditions = new Map<string, SnapshotBlockingCondition>();
  private readonly apiKeys = new Map<string, SnapshotApiKey>();
  private readonly accessTokens = new Map<string, SnapshotAccessToken>();
  private trustedCerts: Readonly<Record<string, string>>;
  private built: Snapshot | null;
  private _version: number;
  private readonly createdAt: number;

  constructor(snapshot: Snapshot) {
    this._version = snapshot.version;
    this.createdAt = snapshot.createdAt;
    for (const a of snapshot.apis) this.apis.set(a.id, a);
    for (const a of snapshot.applications) this.applications.set(String(a.id), a);
    for (const m of snapshot.keyMappings) this.keyMappings.set(`${m.keyManager}\n${m.consumerKey}`, m);
    for (const s of snapshot.subscriptions) this.subscriptions.set(s.id, s);
    for (const p of snapshot.policies) this.policies.set(`${p.level}:${p.name}`, p);
    for (const k of snapshot.keyManagers) this.keyManagers.set(k.name, k);
    for (const r of snapshot.revokedTokens) this.revoked.set(r.jti, r);
    for (const c of snapshot.blockingConditions ?? []) this.blockingConditions.set(c.id, c);
    for (const k of snapshot.apiKeys ?? []) this.apiKeys.set(k.jti, k);
    for (const t of snapshot.accessTokens ?? []) this.accessTokens.set(t.id, t);
    this.trustedCerts = snapshot.trustedCerts;
    this.built = snapshot;
  }

  /** The change-log version this replica is at. */
  get version(): number {
    return this._version;
  }

  /**
   * Applies the deltas of `batch` newer than {@link version} and moves to `batch.to`. The caller checks that the
   * batch starts at or before `version + 1` (else versions are missing).
   */
  apply(batch: DeltaBatch): void {
    for (const d of batch.deltas) {
      if (d.version <= this._version) continue;
      switch (d.kind) {
        case 'api':
          put(this.apis, d.key, d.api);
          break;
        case 'application':
          put(this.applications, d.key, d.application);
          if (d.application === null) this.dropApplication(Number(d.key));
          break;
        case 'subscription':
          put(this.subscriptions, d.key, d.subscription);
          break;
        case 'keymapping':
          put(this.keyMappings, d.key, d.mapping);
          break;
        case 'policy':
          put(this.policies, d.key, d.policy);
          break;
        case 'revocation':
          this.revoked.set(d.key, { jti: d.key, exp: d.exp });
          break;
        case 'keymanager':
          put(this.keyManagers, d.key, d.keyManager);
          break;
        case 'truststore':
          this.trustedCerts = d.trustedCerts;
          break;
        case 'blockingcondition':
          put(this.blockingConditions, d.key, d.condition);
          break;
        case 'apikey':
          put(this.apiKeys, d.key, d.apiKey);
          break;
        case 'accesstoken':
          put(this.accessTokens, d.key, d.token);
          break;
      }
    }
    if (batch.to > this._version) this._version = batch.to;
    this.built = null;
  }

  /** The replica as a snapshot (rebuilt after a change, then reused); revocations past `nowMs` are dropped. */
  toSnapshot(nowMs: number): Snapshot {
    if (this.built !== null) return this.built;
    const nowSec = Math.floor(nowMs / 1000);
    for (const [jti, r] of this.revoked) if (r.exp !== null && r.exp < nowSec) this.revoked.delete(jti);
    for (const [id, t] of this.accessTokens)
      if (t.expiresAt !== null && t.expiresAt <= nowMs) this.accessTokens.delete(id);
    this.built = {
      schema: SNAPSHOT_SCHEMA,
      version: this._version,
      createdAt: this.createdAt,
      apis: [...this.apis.values()],
      applications: [...this.applications.values()],
      keyMappings: [...this.keyMappings.values()],
      subscriptions: [...this.subscriptions.values()],
      policies: [...this.policies.values()],
      keyManagers: [...this.keyManagers.values()],
      trustedCerts: this.trustedCerts,
      revokedTokens: [...this.revoked.values()],
      apiKeys: [...this.apiKeys.values()],
      accessTokens: [...this.accessTokens.values()],
      blockingConditions: [...this.blockingConditions.values()],
    };
    return this.built;
  }

  /** A removed application takes its subscriptions and key mappings with it (see `SnapshotDelta`). */
  private dropApplication(id: number): void {
    for (const [k, s] of this.subscriptions) if (s.applicationId === id) this.subscriptions.delete(k);
    for (const [k, m] of this.keyMappings) if (m.applicationId === id) this.keyMappings.delete(k);
  }
}

function put<T>(map: Map<string, T>, key: string, value: T | null): void {
  if (value === null) map.delete(key);
  else map.set(key, value);
}
