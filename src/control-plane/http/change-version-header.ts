import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';
import type { ChangeLog } from '../../store/index.js';

/** The response header naming the newest change-log version a request's writes created. */
export const CHANGE_VERSION_HEADER = 'x-portico-change-version';

/**
 * Answers every write with the change version it created (`X-Portico-Change-Version`), so a caller can ask
 * `GET /api/am/admin/v4/gateways?minVersion=V` whether the change is enforced on every gateway. The request's
 * writes are told apart from others' by an AsyncLocalStorage scope per request.
 */
export function installChangeVersionHeader(app: FastifyInstance, changes: ChangeLog): void {
  const scope = new AsyncLocalStorage<{ newest: number }>();
  changes.onCommitted((versions) => {
    const s = scope.getStore();
    if (s) s.newest = Math.max(s.newest, ...versions);
  });
  app.addHook('onRequest', (_req, _reply, done) => scope.run({ newest: 0 }, done));
  app.addHook('onSend', (_req, reply, _payload, done) => {
    const newest = scope.getStore()?.newest ?? 0;
    if (newest > 0) reply.header(CHANGE_VERSION_HEADER, String(newest));
    done();
  });
}
