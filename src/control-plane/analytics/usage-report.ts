import { addSparse, LATENCY_BUCKETS, quantileMs } from '../../core/index.js';
import { parseSparse, type UsageMinuteRow } from '../../store/index.js';
import type { UsageWindow } from './usage-query.js';

/** Counts and latency of a set of requests. */
export interface UsageFigures {
  count: number;
  /** Answers below 400. */
  success: number;
  clientErrors: number;
  serverErrors: number;
  /** Nearest-rank percentiles of the gateway's end-to-end latency, ms (within ~9 %); null without requests. */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

class Accumulator {
  count = 0;
  success = 0;
  clientErrors = 0;
  serverErrors = 0;
  readonly latency = new Float64Array(LATENCY_BUCKETS);

  add(row: UsageMinuteRow): void {
    this.count += row.count;
    if (row.status_class === '5xx') this.serverErrors += row.count;
    else if (row.status_class === '4xx') this.clientErrors += row.count;
    else this.success += row.count;
    addSparse(this.latency, parseSparse(row.latency));
  }

  figures(): UsageFigures {
    return {
      count: this.count,
      success: this.success,
      clientErrors: this.clientErrors,
      serverErrors: this.serverErrors,
      latencyP50Ms: quantileMs(this.latency, 0.5),
      latencyP95Ms: quantileMs(this.latency, 0.95),
    };
  }
}

/** A breakdown dimension: how a row is keyed and what is reported about the key. */
export interface UsageDimension {
  key(row: UsageMinuteRow): string;
  describe(row: UsageMinuteRow): Record<string, string>;
}

export const byApi: UsageDimension = {
  key: (r) => r.api_id,
  describe: (r) => ({ apiId: r.api_id, apiName: r.api_name, apiVersion: r.api_version }),
};
export const byApplication: UsageDimension = {
  key: (r) => r.application_id,
  describe: (r) => ({ applicationId: r.application_id, applicationName: r.application_name }),
};
/** Per key and API: a key's traffic to each API it called. */
export const byKey: UsageDimension = {
  key: (r) => `${r.key_kind}\n${r.key_id}\n${r.key_type}\n${r.api_id}`,
  describe: (r) => ({
    keyKind: r.key_kind,
    keyId: r.key_id,
    keyType: r.key_type,
    apiId: r.api_id,
    apiName: r.api_name,
    apiVersion: r.api_version,
  }),
};

/**
 * The usage report of `rows` over `w`: totals, a series with one point per step (zeros included, so charts are
 * continuous) and one list per requested dimension, busiest first.
 */
export function usageReport(
  rows: readonly UsageMinuteRow[],
  w: UsageWindow,
  dimensions: Readonly<Record<string, UsageDimension>>,
) {
  const total = new Accumulator();
  const points = Math.round((w.to - w.from) / w.stepMs);
  const series = Array.from({ length: points }, () => new Accumulator());
  const groups = Object.fromEntries(
    Object.keys(dimensions).map((name) => [
      name,
      new Map<string, { info: Record<string, string>; acc: Accumulator }>(),
    ]),
  );
  for (const row of rows) {
    total.add(row);
    series[Math.floor((row.minute - w.from) / w.stepMs)]?.add(row);
    for (const [name, dim] of Object.entries(dimensions)) {
      const map = groups[name]!;
      const k = dim.key(row);
      let g = map.get(k);
      if (g === undefined) {
        g = { info: dim.describe(row), acc: new Accumulator() };
        map.set(k, g);
      }
      g.acc.add(row);
    }
  }
  const lists = Object.fromEntries(
    Object.entries(groups).map(([name, map]) => [
      name,
      [...map.values()]
        .map((g) => ({ ...g.info, ...g.acc.figures() }))
        .sort((a, b) => b.count - a.count || JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ]),
  );
  return {
    from: w.from,
    to: w.to,
    granularity: w.granularity,
    totals: total.figures(),
    series: series.map((acc, i) => ({ start: w.from + i * w.stepMs, ...acc.figures() })),
    ...lists,
  };
}
