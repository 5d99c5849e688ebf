/**
 * The audit-event body of the Admin REST API, declared once for the server (audit-log.ts maps rows to it) and the
 * admin UI (web/src/admin/audit-log-page.tsx). Types only and no imports: the UI imports this file with
 * `import type`, so nothing of the server reaches the browser bundle.
 */

/** A detail value: small and never a secret (no key, token, secret, password or hash of one). */
export type AuditDetail = string | number | boolean | null;

/** An audit event as the Admin REST API returns it. */
export interface AuditEventDto {
  id: string;
  time: number;
  actor: string;
  clientIp: string | null;
  action: string;
  target: { type: string; id: string; name: string | null };
  outcome: 'success' | 'failure';
  reason: string | null;
  details: Record<string, AuditDetail>;
}
