import { UsageOverviewPage } from './usage-overview-page';
import { match, usePath } from '../lib/router';
import { useSession } from '../lib/session';
import { useLoad } from '../lib/use-load';
import { RequireUser, Shell } from '../components/shell';
import { Alert } from '../components/alert';
import { AuditLogPage } from './audit-log-page';
import { DenyPoliciesPage } from './deny-policies-page';
import { GatewaysPage } from './gateways-page';
import { KeyManagerFormPage } from './key-manager-form-page';
import { KeyManagersPage, loadKeyManagers } from './key-managers-page';
import { LEVELS, PoliciesPage } from './policies-page';
import { PolicyFormPage } from './policy-form-page';
import { UsersPage } from './users-page';
import { WebhookDeliveriesPage } from './webhook-deliveries-page';
import { WebhooksPage } from './webhooks-page';

const SCOPES = ['apim:admin', 'apim:tier_manage', 'apim:admin_tier_view'];

/** The Admin portal (`/admin`). */
export function AdminApp() {
  const path = usePath();
  const { user } = useSession();
  // The key-manager admin API may not exist on this server: its menu item shows only when it does.
  const kms = useLoad(
    () => (user?.scopes.includes('apim:admin') ? loadKeyManagers().catch(() => null) : Promise.resolve(null)),
    user?.username ?? '',
  );
  const nav = [
    { to: '/admin/policies/subscription', label: 'Throttling Policies', prefix: '/admin/policies' },
    ...(user?.scopes.includes('apim:admin') ? [{ to: '/admin/deny-policies', label: 'Deny Policies' }] : []),
    ...(kms.data ? [{ to: '/admin/key-managers', label: 'Key Managers' }] : []),
    ...(user?.scopes.includes('apim:admin') ? [{ to: '/admin/gateways', label: 'Gateways' }] : []),
    ...(user?.scopes.includes('apim:admin') ? [{ to: '/admin/audit-log', label: 'Audit Log' }] : []),
    ...(user?.scopes.includes('apim:admin') ? [{ to: '/admin/usage', label: 'Usage' }] : []),
    ...(user?.scopes.includes('apim:admin')
      ? [{ to: '/admin/webhooks', label: 'Webhooks', prefix: '/admin/webhooks' }]
      : []),
    { to: '/admin/users', label: 'Users and Roles' },
  ];
  const levels: readonly string[] = LEVELS.map((l) => l.id);
  let page;
  let m: Record<string, string> | null;
  if (match('/admin', path) || match('/admin/policies', path) || match('/admin/sign-in', path))
    page = <PoliciesPage level="subscription" />;
  else if ((m = match('/admin/policies/:level', path)) && levels.includes(m.level!))
    page = <PoliciesPage level={m.level!} />;
  else if ((m = match('/admin/policies/:level/create', path)) && levels.includes(m.level!))
    page = <PolicyFormPage key={`${m.level}-new`} level={m.level!} />;
  else if ((m = match('/admin/policies/:level/:id', path)) && levels.includes(m.level!))
    page = <PolicyFormPage key={m.id} level={m.level!} policyId={m.id} />;
  else if (match('/admin/key-managers', path)) page = <KeyManagersPage />;
  else if (match('/admin/key-managers/create', path)) page = <KeyManagerFormPage key="new" />;
  else if ((m = match('/admin/key-managers/:id', path)))
    page = <KeyManagerFormPage key={m.id} keyManagerId={m.id} />;
  else if (match('/admin/gateways', path)) page = <GatewaysPage />;
  else if (match('/admin/deny-policies', path)) page = <DenyPoliciesPage />;
  else if (match('/admin/audit-log', path)) page = <AuditLogPage />;
  else if (match('/admin/usage', path)) page = <UsageOverviewPage />;
  else if (match('/admin/webhooks', path)) page = <WebhooksPage />;
  else if ((m = match('/admin/webhooks/:id', path)))
    page = <WebhookDeliveriesPage key={m.id} webhookId={m.id!} />;
  else if (match('/admin/users', path)) page = <UsersPage />;
  else page = <Alert kind="error">There is no page at {path}.</Alert>;
  return (
    <Shell portal="/admin" title="Admin" nav={nav}>
      <RequireUser scopes={SCOPES}>{page}</RequireUser>
    </Shell>
  );
}
