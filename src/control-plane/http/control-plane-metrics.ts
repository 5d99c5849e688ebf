import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Control-plane Prometheus metrics: HTTP requests by route and status, outbox depth, Node process metrics. */
export interface ControlPlaneMetrics {
  readonly registry: Registry;
  /** Adds the request-counting hook; call before the app is ready. */
  install(app: FastifyInstance): void;
}

/** What the outbox gauges read at scrape time. */
export interface OutboxSource {
  /** Newest version committed to the change log (the store's head). */
  committedHead(): Promise<number>;
  /** Newest version relayed to gateways. */
  relayedHead(): number;
}

/**
 * Creates the control plane's metrics (docs/metrics.md). Requests are counted by method, route template (never
 * the raw URL, so ids do not explode the series; `unmatched` for 404s outside any route) and status.
 *
 * @example const metrics = controlPlaneMetrics({ outbox }); metrics.install(app);
 */
export function controlPlaneMetrics(opts: {
  outbox: OutboxSource;
  processMetrics?: boolean;
}): ControlPlaneMetrics {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({
    name: 'portico_control_plane_http_requests_total',
    help: 'Control-plane HTTP requests, by method, route template and status.',
    labelNames: ['method', 'route', 'status'],
    registers,
  });
  const children = new Map<string, Counter.Internal>();
  const { outbox } = opts;
  new Gauge({
    name: 'portico_control_plane_outbox_depth',
    help: 'Change-log versions committed but not yet relayed to gateways.',
    registers,
    async collect() {
      this.set(Math.max(0, (await outbox.committedHead()) - outbox.relayedHead()));
    },
  });
  new Gauge({
    name: 'portico_control_plane_change_log_head',
    help: 'Newest change-log version relayed to gateways (compare with portico_gateway_snapshot_version).',
    registers,
    collect() {
      this.set(outbox.relayedHead());
    },
  });
  if (opts.processMetrics !== false) collectDefaultMetrics({ register: registry });
  return {
    registry,
    install(app) {
      app.addHook('onResponse', (request, reply, done) => {
        const route = request.routeOptions.url ?? 'unmatched';
        const key = `${request.method} ${reply.statusCode} ${route}`;
        let child = children.get(key);
        if (child === undefined) {
          child = requests.labels(request.method, route, String(reply.statusCode));
          children.set(key, child);
        }
        child.inc();
        done();
      });
    },
  };
}
