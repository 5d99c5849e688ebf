import type { IncomingMessage } from 'node:http';
import type { Clock, SnapshotAccessToken } from '../../../core/index.js';
import { isOpaqueAccessToken, opaqueKeyHash } from '../../../crypto/opaque-key/index.js';
import type { CompiledSnapshot } from '../../snapshot/compiled-snapshot.js';

/**
 * After a request was refused 900901: when its bearer credential is a well-shaped opaque access token this gateway
 * does not hold, a promise that asks `lookup` (bounded, in `gateway/background/`) and adds a live answer to the
 * index (true: run the request again); otherwise null (the refusal stands, nothing is asked). This is the only
 * I/O an opaque token can cause, once per token and only before its delta arrived (ADR 0006).
 */
export type OpaqueTokenMiss = (req: IncomingMessage, index: CompiledSnapshot) => Promise<boolean> | null;

const BEARER = 'bearer ';

/** @example const miss = opaqueTokenMiss(secret, boundedAccessTokenLookup({ fetch, clock, logger }), clock); */
export function opaqueTokenMiss(
  secret: Buffer,
  lookup: (hash: string) => Promise<SnapshotAccessToken | null>,
  clock: Clock,
): OpaqueTokenMiss {
  return (req, index) => {
    const auth = req.headers.authorization;
    if (auth === undefined || auth.slice(0, BEARER.length).toLowerCase() !== BEARER) return null;
    let start = BEARER.length;
    while (auth.charCodeAt(start) === 32) start++;
    const token = auth.slice(start);
    if (!isOpaqueAccessToken(token)) return null;
    const hash = opaqueKeyHash(secret, token);
    // Held already (the refusal was about something else: expired, key mapping gone) or revoked: nothing to ask.
    if (index.accessTokenKnown(hash)) return null;
    return lookup(hash).then(
      (found) => found !== null && index.learnAccessToken(found, clock.now()),
      () => false,
    );
  };
}
