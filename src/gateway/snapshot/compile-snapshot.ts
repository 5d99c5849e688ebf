import type { Logger } from 'pino';
import type { Snapshot } from '../../core/index.js';
import type { PipelineBuilder } from './compiled-snapshot.js';
import { LiveIndex } from './live-index.js';

export type { PipelineBuilder } from './compiled-snapshot.js';

/**
 * Compiles a snapshot into the indexes the request path reads: routes, key managers with imported JWKS, key
 * mappings, applications, subscriptions per API, policies, trust-store keys, revoked jtis, and the handler chain
 * of every resource. Bad keys or endpoints are logged and skipped; they never fail the snapshot. Only APIs in
 * lifecycle PUBLISHED, DEPRECATED or BLOCKED are routed. The result follows delta batches with
 * {@link LiveIndex.apply}.
 */
export function compileSnapshot(
  snapshot: Snapshot,
  buildPipeline: PipelineBuilder,
  logger: Logger,
  opts: { clockSkewSeconds?: number; nowMs?: number } = {},
): LiveIndex {
  return new LiveIndex(
    snapshot,
    { buildPipeline, logger, clockSkewSeconds: opts.clockSkewSeconds ?? 300 },
    opts.nowMs ?? Date.now(),
  );
}
