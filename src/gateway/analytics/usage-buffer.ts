import {
  addSparse,
  LATENCY_BUCKETS,
  latencyBucket,
  statusClassOf,
  toSparse,
  type SnapshotApi,
  type UsageAggregate,
  type UsageKeyKind,
  type UsageStatusClass,
} from '../../core/index.js';
import type { Principal } from '../pipeline/principal.js';

const MINUTE_MS = 60_000;

/** One aggregate being filled: the dimensions, the count and a dense latency histogram. */
interface UsageCell {
  readonly minute: number;
  readonly apiId: string;
  readonly apiName: string;
  readonly apiVersion: string;
  readonly applicationId: string;
  readonly applicationName: string;
  readonly keyKind: UsageKeyKind;
  readonly keyId: string;
  readonly keyType: string;
  readonly statusClass: UsageStatusClass;
  count: number;
  readonly latency: Float64Array;
}

/**
 * The gateway's per-minute usage aggregates in memory (issue 14). `record` runs on the request path: synchronous,
 * no I/O, one map lookup; when `maxCells` distinct aggregates are held, a request that needs a new one is dropped
 * and counted (`dropped`), never blocking. `drain` hands everything over to the background flusher; `merge` adds
 * aggregates of other processes (cluster workers) exactly.
 * @example const usage = new UsageBuffer(10_000); usage.record(now, api, principal, 200, 3.2);
 */
export class UsageBuffer {
  #cells = new Map<string, UsageCell>();
  /** Requests (or merged aggregates' requests) not recorded because the buffer was full, since start. */
  dropped = 0;

  constructor(readonly maxCells: number) {}

  /** Distinct aggregates held now. */
  get size(): number {
    return this.#cells.size;
  }

  /** Counts one answered request: `now` epoch ms, `latencyMs` from its start to its end. */
  record(now: number, api: SnapshotApi, principal: Principal, status: number, latencyMs: number): void {
    const minute = now - (now % MINUTE_MS);
    const app = principal.application;
    const keyKind: UsageKeyKind =
      principal.kind === 'api-key' ? 'api-key' : principal.kind === 'oauth2' ? 'oauth2' : 'none';
    const keyId =
      keyKind === 'api-key' ? principal.jti : keyKind === 'oauth2' ? (principal.consumerKey ?? '') : '';
    const statusClass = statusClassOf(status);
    const key = `${minute}\n${api.id}\n${app?.uuid ?? ''}\n${keyKind}\n${keyId}\n${principal.keyType}\n${statusClass}`;
    let cell = this.#cells.get(key);
    if (cell === undefined) {
      if (this.#cells.size >= this.maxCells) {
        this.dropped++;
        return;
      }
      cell = {
        minute,
        apiId: api.id,
        apiName: api.name,
        apiVersion: api.version,
        applicationId: app?.uuid ?? '',
        applicationName: app?.name ?? '',
        keyKind,
        keyId,
        keyType: principal.keyType,
        statusClass,
        count: 0,
        latency: new Float64Array(LATENCY_BUCKETS),
      };
      this.#cells.set(key, cell);
    }
    cell.count++;
    cell.latency[latencyBucket(latencyMs)]!++;
  }

  /**
   * Adds aggregates recorded elsewhere (a worker's drain); those that need a new cell when full are dropped.
   * Returns the requests dropped by this merge (also added to `dropped`).
   */
  merge(aggregates: readonly UsageAggregate[]): number {
    let droppedNow = 0;
    for (const a of aggregates) {
      const key = `${a.minute}\n${a.apiId}\n${a.applicationId}\n${a.keyKind}\n${a.keyId}\n${a.keyType}\n${a.statusClass}`;
      let cell = this.#cells.get(key);
      if (cell === undefined) {
        if (this.#cells.size >= this.maxCells) {
          droppedNow += a.count;
          continue;
        }
        cell = { ...a, latency: new Float64Array(LATENCY_BUCKETS), count: 0 };
        this.#cells.set(key, cell);
      }
      cell.count += a.count;
      addSparse(cell.latency, a.latency);
    }
    this.dropped += droppedNow;
    return droppedNow;
  }

  /** Everything held, as aggregates; the buffer is empty afterwards. */
  drain(): UsageAggregate[] {
    const cells = this.#cells;
    this.#cells = new Map();
    const out: UsageAggregate[] = [];
    for (const c of cells.values()) {
      out.push({
        minute: c.minute,
        apiId: c.apiId,
        apiName: c.apiName,
        apiVersion: c.apiVersion,
        applicationId: c.applicationId,
        applicationName: c.applicationName,
        keyKind: c.keyKind,
        keyId: c.keyId,
        keyType: c.keyType,
        statusClass: c.statusClass,
        count: c.count,
        latency: toSparse(c.latency),
      });
    }
    return out;
  }
}
