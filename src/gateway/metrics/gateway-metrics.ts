import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { GatewayFault } from '../../core/index.js';
import type { CompiledApi } from '../pipeline/handler.js';
import {
  HotCounterFamily,
  HotHistogramFamily,
  ReadOnScrapeCounter,
  type CountCell,
  type HistogramCell,
} from './hot-path-series.js';

/** What the gateway's snapshot gauges read at scrape time. */
export interface SnapshotGaugeSource {
  /** Version served (0 before the first snapshot). */
  version(): number;
  /** Milliseconds since the served version was applied, or null before the first snapshot. */
  ageMs(): number | null;
  /** Change-log versions between the newest head heard of and the one served. */
  lag(): number;
}

/** A cache whose hit, miss and size counts are exported (the verified-token caches). */
export interface CountedCache {
  readonly hits: number;
  readonly misses: number;
  readonly size: number;
}

/** Label children of one API, bound once per compiled API (a snapshot or delta replaces the API object). */
interface ApiSeries {
  readonly api: string;
  readonly version: string;
  /** Requests counter child per upstream status (a number) or fault code (a string: one status each). */
  readonly requests: Map<number | string, CountCell>;
  readonly overhead: HistogramCell;
  readonly upstream: HistogramCell;
}

/** Why an authentication step refused a request, from its WSO2 fault code (docs/gateway-faults.md). */
const AUTH_REASONS: Readonly<Record<string, string>> = {
  '900901': 'invalid_credentials',
  '900902': 'missing_credentials',
  '900907': 'subscription_blocked',
  '900908': 'unsubscribed',
  '900909': 'subscription_inactive',
  '900910': 'scope',
};
const RESTRICTION_DESCRIPTION = 'Access forbidden for the invocations';

/** Throttling level of a 9008xx fault code. */
const THROTTLE_LEVELS: Readonly<Record<string, string>> = {
  '900800': 'api',
  '900802': 'resource',
  '900803': 'application',
  '900804': 'subscription',
  '900807': 'burst',
  '900809': 'application_burst',
  '900801': 'backend',
};

/** Buckets (seconds) for time spent in the gateway: tens of microseconds to a second. */
const OVERHEAD_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1];
/** Buckets (seconds) for upstream time: a millisecond to a minute. */
const UPSTREAM_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The gateway's Prometheus metrics (docs/metrics.md): requests by API, version, status and fault code, gateway
 * overhead and upstream latency, authentication failures by reason, throttled requests by level and policy, verified-token
 * cache and snapshot gauges, and Node process metrics. Recording is allocation-free on the hot path: label
 * children are bound once per compiled API and per status or fault code, and cached.
 *
 * @example
 * const metrics = new GatewayMetrics({ snapshot, caches: { access_token: tokens, api_key: keys } });
 * metrics.fault(api, fault, startedAt, performance.now());
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #byApi = new WeakMap<CompiledApi, ApiSeries>();
  readonly #noApi: ApiSeries;
  readonly #requests: HotCounterFamily;
  readonly #overhead: HotHistogramFamily;
  readonly #upstream: HotHistogramFamily;
  /** Auth-failure cells by reason: bound at the first refusal of each, then bumped with `n++`. */
  readonly #authFailures = new Map<string, CountCell>();
  readonly #authCounter: HotCounterFamily;
  /** Throttled-request cells by level, then policy name: bound at the first refusal of each, then reused. */
  readonly #throttled = new Map<string, Map<string, CountCell>>();
  readonly #throttledCounter: HotCounterFamily;
  /** The API of the previous request and its series: most traffic repeats it, so no WeakMap lookup then. */
  #lastApi: CompiledApi | null = null;
  #lastSeries: ApiSeries | null = null;

  constructor(opts: {
    snapshot: SnapshotGaugeSource;
    caches: Readonly<Record<string, CountedCache>>;
    /** Export Node process metrics (default true; false in a second gateway sharing a process). */
    processMetrics?: boolean;
    /** Usage analytics on: requests its full buffer dropped since start. */
    usageDropped?: () => number;
  }) {
    const registers = [this.registry];
    this.#requests = new HotCounterFamily(
      this.registry,
      'portico_gateway_requests_total',
      'Requests answered by the gateway, by API, version, HTTP status and fault code ("" when the upstream answered).',
    );
    this.#overhead = new HotHistogramFamily(
      this.registry,
      'portico_gateway_overhead_seconds',
      'Time spent in the gateway before the upstream call or the fault, by API and version.',
      OVERHEAD_BUCKETS,
    );
    this.#upstream = new HotHistogramFamily(
      this.registry,
      'portico_gateway_upstream_seconds',
      'Time from the upstream call to the end of its response (or its failure), by API and version.',
      UPSTREAM_BUCKETS,
    );
    this.#authCounter = new HotCounterFamily(
      this.registry,
      'portico_gateway_auth_failures_total',
      'Requests refused by authentication or the subscription check, by reason.',
    );
    this.#throttledCounter = new HotCounterFamily(
      this.registry,
      'portico_gateway_throttled_total',
      'Requests refused by throttling (429, or 503 for backend throttling), by policy level (api, resource, application, subscription, burst, application_burst, backend) and policy name.',
    );
    const caches = Object.entries(opts.caches);
    const cacheGauge = (name: string, help: string, read: (c: CountedCache) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['cache'],
        registers,
        collect() {
          for (const [cache, c] of caches) this.set({ cache }, read(c));
        },
      });
    cacheGauge('portico_gateway_token_cache_hits', 'Verified-token cache hits since start.', (c) => c.hits);
    cacheGauge(
      'portico_gateway_token_cache_misses',
      'Verified-token cache misses since start.',
      (c) => c.misses,
    );
    cacheGauge('portico_gateway_token_cache_entries', 'Entries in the verified-token cache.', (c) => c.size);
    const { snapshot } = opts;
    // Summed over gateway workers would be meaningless: the cluster's figure is the worst worker's.
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        aggregator: 'max',
        collect() {
          this.set(read());
        },
      });
    gauge('portico_gateway_snapshot_version', 'Change-log version of the snapshot served.', () =>
      snapshot.version(),
    );
    gauge(
      'portico_gateway_snapshot_age_seconds',
      'Seconds since the served snapshot version was applied (-1 before the first snapshot).',
      () => {
        const age = snapshot.ageMs();
        return age === null ? -1 : age / 1000;
      },
    );
    gauge(
      'portico_gateway_snapshot_lag',
      'Change-log versions between the newest head heard of and the version served.',
      () => snapshot.lag(),
    );
    const usageDropped = opts.usageDropped;
    if (usageDropped !== undefined)
      new ReadOnScrapeCounter(
        this.registry,
        'portico_gateway_usage_dropped_total',
        'Requests not counted in usage analytics because the aggregate buffer was full, since start.',
        usageDropped,
      );
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.#noApi = this.#series('', '');
  }

  /** A request ended with a gateway fault; `startedAt`/`endedAt` are `performance.now()` values. */
  fault(api: CompiledApi | null, fault: GatewayFault, startedAt: number, endedAt: number): void {
    const series = api === null ? this.#noApi : this.#seriesOf(api);
    this.#count(series, fault.status, fault.code);
    series.overhead.observe((endedAt - startedAt) / 1000);
    const reason = AUTH_REASONS[fault.code];
    if (reason !== undefined) {
      // 900901 carries why (malformed, unknown_key, bad_signature, expired, revoked); others map by code.
      const r =
        fault.reason ??
        (fault.code === '900908' && fault.description === RESTRICTION_DESCRIPTION ? 'restriction' : reason);
      let cell = this.#authFailures.get(r);
      if (cell === undefined) {
        cell = this.#authCounter.cell({ reason: r });
        this.#authFailures.set(r, cell);
      }
      cell.n++;
      return;
    }
    const level = THROTTLE_LEVELS[fault.code];
    if (level !== undefined) this.#throttledCell(level, fault.policy ?? '').n++;
  }

  #throttledCell(level: string, policy: string): CountCell {
    let byPolicy = this.#throttled.get(level);
    if (byPolicy === undefined) {
      byPolicy = new Map();
      this.#throttled.set(level, byPolicy);
    }
    let cell = byPolicy.get(policy);
    if (cell === undefined) {
      cell = this.#throttledCounter.cell({ level, policy });
      byPolicy.set(policy, cell);
    }
    return cell;
  }

  /** The request was handed to the upstream at `forwardedAt` after starting at `startedAt`. */
  forwarded(api: CompiledApi, startedAt: number, forwardedAt: number): void {
    this.#seriesOf(api).overhead.observe((forwardedAt - startedAt) / 1000);
  }

  /** The upstream exchange ended with `status` (`fault` when the gateway answered for a failed upstream). */
  settled(
    api: CompiledApi,
    status: number,
    fault: GatewayFault | null,
    forwardedAt: number,
    endedAt: number,
  ): void {
    const series = this.#seriesOf(api);
    this.#count(series, status, fault === null ? '' : fault.code);
    series.upstream.observe((endedAt - forwardedAt) / 1000);
  }

  #count(series: ApiSeries, status: number, code: string): void {
    const key = code === '' ? status : code;
    let child = series.requests.get(key);
    if (child === undefined) {
      child = this.#requests.cell({
        api: series.api,
        version: series.version,
        status: String(status),
        fault_code: code,
      });
      series.requests.set(key, child);
    }
    child.n++;
  }

  #seriesOf(api: CompiledApi): ApiSeries {
    if (api === this.#lastApi) return this.#lastSeries!;
    let series = this.#byApi.get(api);
    if (series === undefined) {
      series = this.#series(api.api.name, api.api.version);
      this.#byApi.set(api, series);
    }
    this.#lastApi = api;
    this.#lastSeries = series;
    return series;
  }

  #series(api: string, version: string): ApiSeries {
    return {
      api,
      version,
      requests: new Map(),
      overhead: this.#overhead.cell({ api, version }),
      upstream: this.#upstream.cell({ api, version }),
    };
  }
}
