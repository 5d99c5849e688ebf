import type { FastifyRequest } from 'fastify';
import type { AuditActor } from './audit-log.js';

/**
 * The actor of a REST request: the authenticated user (or, for a client-credentials token with no user, its
 * client id), else `anonymous`; the client IP is `request.ip`, which honours `[server] trusted_proxies` as
 * sign-in does.
 */
export function auditActorOf(request: FastifyRequest): AuditActor {
  const c = request.caller;
  return { name: c ? c.username || c.clientId || 'anonymous' : 'anonymous', clientIp: request.ip };
}
