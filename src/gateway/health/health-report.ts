import type { ServerResponse } from 'node:http';
import type { SnapshotOrigin, SnapshotSource } from '../../core/index.js';
import type { SnapshotFollower } from '../snapshot/snapshot-follower.js';

/** What `/health` and `/health/ready` report about the snapshot served. */
export interface HealthReport {
  /** `UP` (the process answers); on `/health/ready` `READY` or `NOT_READY`. */
  readonly status: 'UP' | 'READY' | 'NOT_READY';
  /** The Portico version (also as `softwareVersion`). */
  readonly version: string;
  readonly softwareVersion: string;
  readonly snapshotVersion: number;
  /** `live` (following a control plane, or in-process), `cache` (persisted last-good snapshot), `none`. */
  readonly origin: SnapshotOrigin;
  /** Milliseconds since the served version was applied (null before the first snapshot). */
  readonly ageMs: number | null;
  /** Versions between the newest change-log head heard of and the one served. */
  readonly lag: number;
  /** Problems that do not stop serving but refuse traffic (the API-key signing alias not trusted, ...). */
  readonly warnings: readonly string[];
}

/**
 * Builds the health answers of a gateway. Liveness (`/health`) is 200 whenever the process answers; readiness
 * (`/health/ready`) is 200 once a snapshot is served (live or from the cache) and 503 with none.
 */
export function healthReporter(
  source: SnapshotSource,
  follower: SnapshotFollower,
  softwareVersion: string,
  now: () => number,
  warnings: () => readonly string[] = () => [],
): (res: ServerResponse, readiness: boolean) => void {
  const report = (readiness: boolean): HealthReport => {
    const status = source.status?.();
    const version = follower.index.version;
    const origin: SnapshotOrigin = !follower.loaded ? 'none' : (status?.origin ?? 'live');
    const ready = follower.loaded && origin !== 'none';
    const appliedAt = follower.appliedAt;
    return {
      status: readiness ? (ready ? 'READY' : 'NOT_READY') : 'UP',
      version: softwareVersion,
      softwareVersion,
      snapshotVersion: version,
      origin,
      ageMs: appliedAt === null ? null : Math.max(0, now() - appliedAt),
      lag: Math.max(0, (status?.head ?? version) - version),
      warnings: warnings(),
    };
  };
  return (res, readiness) => {
    const body = report(readiness);
    const json = JSON.stringify(body);
    res.writeHead(body.status === 'NOT_READY' ? 503 : 200, {
      'content-type': 'application/json; charset=UTF-8',
      'content-length': Buffer.byteLength(json),
      'cache-control': 'no-store',
    });
    res.end(json);
  };
}

/**
 * The gateway's view of the API-key signing alias: a warning while a snapshot is served whose trust store has no
 * certificate under it (every JWT API key of the deployment is refused with 900901 meanwhile).
 */
export function signingAliasWarnings(follower: SnapshotFollower, alias: string | undefined): string[] {
  if (alias === undefined || !follower.loaded || follower.index.trustedKeys.has(alias)) return [];
  return [
    `API-key signing alias "${alias}" is not in the served trust store: JWT API keys with kid "${alias}" are refused`,
  ];
}
