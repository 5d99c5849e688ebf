import type { Metric, MetricObjectWithValues, MetricValue, Registry } from 'prom-client';

type Labels = Readonly<Record<string, string>>;
/** The values are always current: nothing to gather at scrape time. */
const noCollect = (): undefined => undefined;

/**
 * Children by label set: asking again for labels already held returns the same child, so the API objects of a new
 * snapshot continue their series (one exposition line per label set, and memory bounded by the label sets).
 */
class CellsByLabels<C> {
  readonly #byKey = new Map<string, { readonly labels: Labels; readonly cell: C }>();

  get(labels: Labels, make: () => C): C {
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let entry = this.#byKey.get(key);
    if (entry === undefined) {
      entry = { labels, cell: make() };
      this.#byKey.set(key, entry);
    }
    return entry.cell;
  }

  entries(): IterableIterator<{ readonly labels: Labels; readonly cell: C }> {
    return this.#byKey.values();
  }
}

/** A counter's values in the shape `Registry.metrics()` and `AggregatorRegistry.aggregate` read. */
function counterValues(
  name: string,
  help: string,
  values: MetricValue<string>[],
): MetricObjectWithValues<MetricValue<string>> {
  return { name, help, type: 'counter' as never, aggregator: 'sum', collect: noCollect, values };
}

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
  readonly #cells = new CellsByLabels<CountCell>();

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  readonly type = 'counter';
  readonly aggregator = 'sum';

  /** The child for `labels`, made at the first call (look it up once per label set and keep it). */
  cell(labels: Labels): CountCell {
    return this.#cells.get(labels, () => ({ n: 0 }));
  }

  get(): MetricObjectWithValues<MetricValue<string>> {
    return counterValues(
      this.name,
      this.help,
      Array.from(this.#cells.entries(), ({ labels, cell }) => ({ labels, value: cell.n })),
    );
  }

  reset(): void {
    for (const { cell } of this.#cells.entries()) cell.n = 0;
  }
}

/** A histogram family with plain-number children, exported like {@link HotCounterFamily}. */
export class HotHistogramFamily {
  readonly #cells = new CellsByLabels<HistogramCell>();
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

  /** The child for `labels`, made at the first call (see {@link HotCounterFamily.cell}). */
  cell(labels: Labels): HistogramCell {
    return this.#cells.get(labels, () => new HistogramCell(this.bounds));
  }

  get(): MetricObjectWithValues<MetricValue<string>> {
    const values: MetricValue<string>[] = [];
    for (const { labels, cell } of this.#cells.entries()) {
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
    for (const { cell } of this.#cells.entries()) {
      cell.counts.fill(0);
      cell.sum = 0;
      cell.count = 0;
    }
  }
}

/** A counter without labels whose value is read at scrape time (a count the gateway keeps elsewhere). */
export class ReadOnScrapeCounter {
  readonly type = 'counter';
  readonly aggregator = 'sum';

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    private readonly read: () => number,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  get(): MetricObjectWithValues<MetricValue<string>> {
    return counterValues(this.name, this.help, [{ labels: {}, value: this.read() }]);
  }

  /** The count lives with its owner; nothing to reset here. */
  reset(): void {}
}
