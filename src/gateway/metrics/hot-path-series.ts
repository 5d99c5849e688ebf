import type { Metric, MetricObjectWithValues, MetricValue, Registry } from 'prom-client';

type Labels = Readonly<Record<string, string>>;
/** The values are always current: nothing to gather at scrape time. */
const noCollect = (): undefined => undefined;

/** A counter child the hot path bumps with `n++`; its labels are fixed when it is made. */
export interface CountCell {
  n: number;
}

/** A histogram child: counts per bucket (last = above every bound), sum and count. */
export class HistogramCell {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(v: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && v > b[i]!) i++;
    this.counts[i]!++;
    this.sum += v;
    this.count++;
  }
}

/**
 * A counter family whose children are plain numbers: prom-client's own children rebuild and hash their label set
 * on every `inc`, which the gateway cannot afford per request. The values reach prom-client at scrape time
 * (`get()`, the shape `Registry.metrics()` and `AggregatorRegistry.aggregate` read).
 */
export class HotCounterFamily {
  readonly #cells: { labels: Labels; cell: CountCell }[] = [];

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  readonly type = 'counter';
  readonly aggregator = 'sum';

  /** A new child for `labels` (call once per label set and keep it). */
  cell(labels: Labels): CountCell {
    const cell = { n: 0 };
    this.#cells.push({ labels, cell });
    return cell;
  }

  get(): MetricObjectWithValues<MetricValue<string>> {
    return {
      name: this.name,
      help: this.help,
      type: 'counter' as never,
      aggregator: 'sum',
      collect: noCollect,
      values: this.#cells.map(({ labels, cell }) => ({ labels, value: cell.n })),
    };
  }

  reset(): void {
    for (const { cell } of this.#cells) cell.n = 0;
  }
}

/** A histogram family with plain-number children, exported like {@link HotCounterFamily}. */
export class HotHistogramFamily {
  readonly #cells: { labels: Labels; cell: HistogramCell }[] = [];
  readonly type = 'histogram';
  readonly aggregator = 'sum';

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  cell(labels: Labels): HistogramCell {
    const cell = new HistogramCell(this.bounds);
    this.#cells.push({ labels, cell });
    return cell;
  }

  get(): MetricObjectWithValues<MetricValue<string>> {
    const values: MetricValue<string>[] = [];
    for (const { labels, cell } of this.#cells) {
      let cumulative = 0;
      for (let i = 0; i <= this.bounds.length; i++) {
        cumulative += cell.counts[i]!;
        const le = i < this.bounds.length ? this.bounds[i]! : '+Inf';
        values.push({
          labels: { le, ...labels },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        } as never);
      }
      values.push({ labels, value: cell.sum, metricName: `${this.name}_sum` } as never);
      values.push({ labels, value: cell.count, metricName: `${this.name}_count` } as never);
    }
    return {
      name: this.name,
      help: this.help,
      type: 'histogram' as never,
      aggregator: 'sum',
      collect: noCollect,
      values,
    };
  }

  reset(): void {
    for (const { cell } of this.#cells) {
      cell.counts.fill(0);
      cell.sum = 0;
      cell.count = 0;
    }
  }
}
