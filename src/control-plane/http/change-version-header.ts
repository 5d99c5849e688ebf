import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ChangeLog } from '../../store/index.js';

/** The response header naming a change-log version that covers a request's writes. */
export const CHANGE_VERSION_HEADER = 'x-portico-change-version';

/** This process's commit count when the request arrived (-1 before the hook ran); a decorator keeps one shape. */
const COMMITS_AT_START = Symbol('commitsAtStart');
type Stamped = FastifyRequest & { [COMMITS_AT_START]: number };

/**
 * Answers every request during which this control plane committed changes with the newest version it had
 * committed when the response went out (`X-Portico-Change-Version`), so a caller can ask
 * `GET /api/am/admin/v4/gateways?minVersion=V` whether its change is enforced on every gateway. A request's own
 * commit happens between its arrival and its response, so V is at least the version its writes created; when
 * other requests committed meanwhile V may be newer, and waiting for it still covers the request's writes
 * (versions are applied in order). A request with no commit anywhere in its lifetime gets no header.
 *
 * No AsyncLocalStorage: on Node 20 its promise hooks cost every promise of the process (3–4 % of a token
 * request's CPU, docs/benchmarks.md), and telling a request's own writes apart is not needed for V to be right.
 */
export function installChangeVersionHeader(app: FastifyInstance, changes: ChangeLog): void {
  let commits = 0;
  let newest = 0;
  changes.onCommitted((versions) => {
    commits++;
    for (const v of versions) if (v > newest) newest = v;
  });
  app.decorateRequest(COMMITS_AT_START, -1);
  app.addHook('onRequest', (request, _reply, done) => {
    (request as Stamped)[COMMITS_AT_START] = commits;
    done();
  });
  app.addHook('onSend', (request, reply, _payload, done) => {
    const start = (request as Stamped)[COMMITS_AT_START];
    if (start >= 0 && start !== commits) reply.header(CHANGE_VERSION_HEADER, String(newest));
    done();
  });
}
