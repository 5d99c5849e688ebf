import type { KeyObject, X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Clock } from '../core/index.js';
import type { EventBus } from '../events/index.js';
import type { ChangeLog, Store } from '../store/index.js';
import type { SnapshotService } from './snapshot/index.js';
import type { ChangeFeed } from './sync/index.js';
import type { AuditLog } from './audit/audit-log.js';
import type { UserService } from './users/user-service.js';

/** A signing key with its certificate, as loaded from a keystore. */
export interface SigningKey {
  readonly alias: string;
  readonly privateKey: KeyObject;
  readonly certificate: X509Certificate;
  readonly certificatePem: string;
}

/** The certificates the gateway trusts, by alias (backed by the trust store file). */
export interface TrustedCertificates {
  all(): Record<string, string>;
  /** Adds or replaces a certificate and persists the trust store. */
  add(alias: string, pem: string, opts?: { replace?: boolean }): Promise<void>;
}

/** Public URLs of this deployment. */
export interface PorticoUrls {
  controlPlane: string;
  controlPlaneHttp: string | null;
  gatewayHttps: string;
  gatewayHttp: string | null;
  /** Resident key manager issuer (`https://localhost:9443/oauth2/token`, WSO2's default). */
  issuer: string;
}

/** Everything control-plane route modules receive. Built once per process by the CLI. */
export interface ControlPlaneContext {
  readonly config: Readonly<Config>;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Control-plane notifications (in-process, or Redis when scaled out); gateways follow `changes`, not this. */
  readonly bus: EventBus;
  /** The one write path: a transaction plus the change-log rows gateways follow (transactional outbox). */
  readonly changes: ChangeLog;
  readonly users: UserService;
  /** The audit log of credential and access events (`record` inside the change's transaction). */
  readonly audit: AuditLog;
  readonly snapshots: SnapshotService;
  /** The change log as gateways see it: deltas after a version (`/internal/data/v1/changes`). */
  readonly feed: ChangeFeed;
  /** Primary keystore key: TLS, access-token signing. */
  readonly primaryKey: SigningKey;
  /** The key that signs API keys (`[apim.devportal] api_key_keystore` / `api_key_alias`). */
  readonly apiKeySigner: SigningKey;
  /** HMAC-SHA-256 secret opaque API keys are stored under (`[apim.devportal] api_key_hash_secret`). */
  readonly apiKeyHashSecret: Buffer;
  readonly trust: TrustedCertificates;
  readonly urls: PorticoUrls;
  readonly version: string;
}
