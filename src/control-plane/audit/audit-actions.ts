/**
 * Every audit action, by family. Stable wire names (REST `action`, log lines, filters): add new ones, never
 * rename one; document each in docs/audit-log.md.
 */
export const AUDIT_ACTIONS = [
  'apikey.issued',
  'apikey.regenerated',
  'apikey.revoked',
  'apikey.leaked',
  'apikey.associated',
  'apikey.dissociated',
  'client-secret.generated',
  'client-secret.regenerated',
  'client-secret.revoked',
  'oauth-keys.generated',
  'oauth-keys.mapped',
  'oauth-keys.deleted',
  'oauth-keys.cleaned-up',
  'token.revoked',
  'subscription.created',
  'subscription.updated',
  'subscription.blocked',
  'subscription.unblocked',
  'subscription.removed',
  'keymanager.created',
  'keymanager.updated',
  'keymanager.deleted',
  'user.signed-in',
  'user.created',
  'user.password-changed',
  'user.roles-changed',
  'user.deleted',
  'application.created',
  'application.deleted',
  'deny-policy.created',
  'deny-policy.updated',
  'deny-policy.deleted',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
] as const;

/** A dotted audit action name (`apikey.revoked`). */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What an audit event is about. */
export type AuditTargetType =
  | 'api-key'
  | 'client-secret'
  | 'oauth-client'
  | 'access-token'
  | 'refresh-token'
  | 'subscription'
  | 'key-manager'
  | 'user'
  | 'application'
  | 'deny-policy'
  | 'webhook';

const KNOWN = new Set<string>(AUDIT_ACTIONS);

/** True for a known action name. */
export const isAuditAction = (s: string): s is AuditAction => KNOWN.has(s);

/** The actions an `action` filter selects: one name, or a family with `.*` (`apikey.*`). Unknown → none. */
export function actionsMatching(filter: string): AuditAction[] {
  if (filter.endsWith('.*')) {
    const family = filter.slice(0, -1);
    return AUDIT_ACTIONS.filter((a) => a.startsWith(family));
  }
  return isAuditAction(filter) ? [filter] : [];
}
