import type { Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { ToWorker, WorkerMetricsJson } from './worker-protocol.js';

/** How long the primary waits for the workers' registries before answering with those that came. */
const COLLECT_TIMEOUT_MS = 2000;

/**
 * The primary's side of `/metrics` with gateway workers: a worker that receives a scrape asks the primary, which
 * collects every worker's registry over IPC and answers the sum (prom-client's `AggregatorRegistry.aggregate`:
 * counters and histograms summed, the snapshot gauges the maximum), so one scrape of any worker returns the
 * whole gateway. `primary`: the primary's own metrics (what only it counts), added once to every answer.
 */
export class WorkerMetricsCollector {
  #next = 1;
  readonly #pending = new Map<number, { got: WorkerMetricsJson[]; waiting: number; done: () => void }>();

  constructor(
    private readonly workers: () => Iterable<Worker>,
    private readonly send: (w: Worker, m: ToWorker) => void,
    private readonly primary?: Registry,
  ) {}

  /** Collects and aggregates; resolves with the exposition text. */
  async collect(): Promise<string> {
    const id = this.#next++;
    const got: WorkerMetricsJson[] = [];
    const targets = [...this.workers()].filter((w) => w.isConnected());
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, COLLECT_TIMEOUT_MS);
      timer.unref();
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#pending.set(id, { got, waiting: targets.length, done });
      if (targets.length === 0) done();
      for (const w of targets) this.send(w, { t: 'metricsCollect', id });
    });
    this.#pending.delete(id);
    if (this.primary) got.push(await this.primary.getMetricsAsJSON());
    return AggregatorRegistry.aggregate(got).metrics();
  }

  /** A worker's answer to `metricsCollect`. */
  answer(id: number, metrics: WorkerMetricsJson): void {
    const p = this.#pending.get(id);
    if (p === undefined) return;
    p.got.push(metrics);
    if (--p.waiting === 0) p.done();
  }
}
