import type { SparseHistogram } from './usage-histogram.js';

/** How the caller was identified: an API key (`keyId` = its jti), an OAuth2 token (its client id), or nobody. */
export type UsageKeyKind = 'api-key' | 'oauth2' | 'none';

/** `2xx` = every answer below 400 (1xx/3xx too), `4xx` = 400–499 (499 = client went away), `5xx` = 500 and up. */
export type UsageStatusClass = '2xx' | '4xx' | '5xx';

/**
 * One per-minute usage aggregate: the requests of one minute to one API from one application and key with one
 * status class. Wire contract of `POST /internal/data/v1/usage` (docs/usage-analytics.md).
 */
export interface UsageAggregate {
  /** Start of the minute, epoch milliseconds (a multiple of 60 000). */
  readonly minute: number;
  readonly apiId: string;
  readonly apiName: string;
  readonly apiVersion: string;
  /** The application's UUID; empty for anonymous callers and keys without an application. */
  readonly applicationId: string;
  readonly applicationName: string;
  readonly keyKind: UsageKeyKind;
  /** API-key jti or OAuth2 client id; empty when `keyKind` is `none`. */
  readonly keyId: string;
  /** `PRODUCTION` | `SANDBOX`. */
  readonly keyType: string;
  readonly statusClass: UsageStatusClass;
  readonly count: number;
  /** End-to-end latency at the gateway (request start to response end), see usage-histogram.ts. */
  readonly latency: SparseHistogram;
}

/** What a gateway flushes: its aggregates under an id that makes a retried flush count once. */
export interface UsageBatch {
  /** Unique per flush (a UUID); the same id is resent when a flush is retried. */
  readonly flushId: string;
  readonly aggregates: readonly UsageAggregate[];
}

/** The status class of an HTTP status. */
export function statusClassOf(status: number): UsageStatusClass {
  return status >= 500 ? '5xx' : status >= 400 ? '4xx' : '2xx';
}
