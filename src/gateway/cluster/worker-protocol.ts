import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { DeltaBatch, Snapshot, UsageAggregate } from '../../core/index.js';
import type { GatewaySettings } from '../gateway-options.js';
import type { PermitGrant, PermitRequest } from '../handlers/throttling/permit-source.js';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';

/** A worker's registry as JSON (prom-client's `getMetricsAsJSON`), summed by the primary. */
export type WorkerMetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/** One server a worker opens; all workers share it through node:cluster. */
export interface WorkerListener {
  readonly host: string;
  /** 0 = a random port (only for a single listener: node:cluster keys shared handles by host and port). */
  readonly port: number;
  /** PEM key and certificate chain for HTTPS; absent = plain HTTP. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** {@link GatewaySettings} as JSON: key objects travel as PEM (over IPC only, never in env or logs). */
export interface SerializedSettings extends Omit<GatewaySettings, 'backendJwtKey'> {
  readonly backendJwtKeyPem?: { readonly privateKey: string; readonly certificate: string };
}

/** Primary → worker messages. */
export type ToWorker =
  | {
      readonly t: 'init';
      readonly settings: SerializedSettings;
      readonly listeners: readonly WorkerListener[];
      readonly version: string;
      readonly logLevel: string;
      /** Lease holders sharing each quota: expected gateways × workers of this gateway. */
      readonly quotaHolders: number;
      /** The API-key hash secret (base64), when the gateway has one. */
      readonly apiKeyHashSecret?: string;
      /** The API-key signing alias `/health` checks the served trust store for. */
      readonly apiKeySigningAlias?: string;
      /** Usage analytics on: the worker's own buffer size (its aggregates go to the primary every second). */
      readonly usageBufferSize?: number;
    }
  | { readonly t: 'snapshot'; readonly snapshot: Snapshot }
  /** A batch of the change log, forwarded as the primary's source relays it. */
  | { readonly t: 'changes'; readonly batch: DeltaBatch }
  | { readonly t: 'permitGrant'; readonly id: number; readonly grant: PermitGrant | null }
  | { readonly t: 'stop'; readonly timeoutMs: number }
  /** Send your registry as JSON (a `/metrics` scrape of some worker is being answered). */
  | { readonly t: 'metricsCollect'; readonly id: number }
  /** The aggregated `/metrics` text a worker asked for. */
  | { readonly t: 'metricsText'; readonly id: number; readonly text: string };

/** Worker → primary messages. */
export type FromWorker =
  | { readonly t: 'hello' }
  /** The worker saw a version gap and needs a full snapshot. */
  | { readonly t: 'resync' }
  | { readonly t: 'listening'; readonly ports: readonly number[] }
  | { readonly t: 'apiKeyUsed'; readonly used: readonly (readonly [string, number])[] }
  | { readonly t: 'unknownKid'; readonly keyManager: string }
  /** The worker's usage aggregates since its last message, and the requests its full buffer dropped meanwhile. */
  | { readonly t: 'usage'; readonly aggregates: readonly UsageAggregate[]; readonly dropped: number }
  | { readonly t: 'failed'; readonly message: string }
  /** A scrape reached this worker: answer it with the sum over all workers. */
  | { readonly t: 'metricsRequest'; readonly id: number }
  | { readonly t: 'metricsJson'; readonly id: number; readonly metrics: WorkerMetricsJson }
  | { readonly t: 'permitAcquire'; readonly id: number; readonly req: PermitRequest }
  | {
      readonly t: 'permitRelease';
      readonly key: string;
      readonly windowStart: number;
      readonly windowMs: number;
      readonly count: number;
    };

/** Turns settings into a JSON-safe message body (the backend JWT key as PKCS#8 PEM). */
export function serializeSettings(settings: GatewaySettings): SerializedSettings {
  const { backendJwtKey, ...rest } = settings;
  if (backendJwtKey === undefined) return rest;
  return {
    ...rest,
    backendJwtKeyPem: {
      privateKey: backendJwtKey.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      certificate: backendJwtKey.certificate.toString(),
    },
  };
}

/** Inverse of {@link serializeSettings}. Throws when the PEMs do not parse. */
export function deserializeSettings(s: SerializedSettings): GatewaySettings {
  const { backendJwtKeyPem, ...rest } = s;
  if (backendJwtKeyPem === undefined) return rest;
  return {
    ...rest,
    backendJwtKey: {
      privateKey: createPrivateKey(backendJwtKeyPem.privateKey),
      certificate: new X509Certificate(backendJwtKeyPem.certificate),
    },
  };
}
