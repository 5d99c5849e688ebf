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
import type { WebhookOutbox } from './webhooks/webhook-outbox.js';

/** A signing key with its certificate, as loaded from a keystore. */
export interface SigningKey {
  readonly alias: string;
  readonly privateKey: KeyObject;
  readonly certificate: X509Certificate;
  readonly certificatePem: string;
}

/** A trusted certificate as the Admin REST API shows it (a certificate is public; nothing private is kept). */
export interface TrustedCertificate {
  readonly alias: string;
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  /** ISO 8601. */
  readonly notBefore: string;
  readonly notAfter: string;
  readonly sha1Fingerprint: string;
  readonly sha256Fingerprint: string;
  /** PEM. */
  readonly certificate: string;
}

/**
 * The deployment's trust store (certificates gateways verify JWT API keys with, by `kid` = alias), live: kept in
 * the store, shared by every control plane, changed through the change log (ADR 0007). Reads are synchronous.
 */
export interface TrustedCertificates {
  /** PEM by alias. */
  all(): Record<string, string>;
  list(): TrustedCertificate[];
  /** By alias, case-insensitive. */
  get(alias: string): TrustedCertificate | undefined;
  /**
   * Adds (or with `replace`, replaces) a certificate given as PEM or base64 DER.
   * @throws RestError INVALID_CERTIFICATE_ALIAS, INVALID_CERTIFICATE, CERTIFICATE_ALIAS_EXISTS
   */
  add(alias: string, certificate: string, opts?: { replace?: boolean }): Promise<TrustedCertificate>;
  /** @throws RestError CERTIFICATE_NOT_FOUND */
  remove(alias: string): Promise<void>;
  /** What is wrong for the API-key signer (its alias untrusted, another certificate under it); empty when fine. */
  warnings(): readonly string[];
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
  /** The webhook outbox (its `fromAudit` is a sink of `audit`): queues deliveries inside a change's transaction. */
  readonly webhooks: WebhookOutbox;
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
