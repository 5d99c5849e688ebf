import { ADM, api, type List } from '../lib/api';
import { Link, navigate } from '../lib/router';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { ActionMessages } from '../components/action-messages';
import { PageHeader } from '../components/page-header';
import { ResourceTable } from '../components/resource-table';
import { RowActions } from '../components/row-actions';
import { Tabs } from '../components/tabs';

export const LEVELS = [
  { id: 'subscription', label: 'Subscription Policies' },
  { id: 'application', label: 'Application Policies' },
  { id: 'advanced', label: 'Advanced Policies' },
] as const;

/** Admin v4 throttling policy as the admin REST API returns it. */
export interface AdminPolicy {
  policyId: string;
  policyName: string;
  displayName: string;
  description: string;
  defaultLimit: {
    type: string;
    requestCount: { timeUnit: string; unitTime: number; requestCount: number } | null;
  };
  rateLimitCount?: number;
  rateLimitTimeUnit?: string | null;
  stopOnQuotaReach?: boolean;
  billingPlan?: string;
}

/** Throttling policies per level, with create/edit/delete. */
export function PoliciesPage({ level }: { level: string }) {
  const list = useLoad(() => api<List<AdminPolicy>>('GET', `${ADM}/throttling/policies/${level}`), level);
  const action = useAction(list.reload);
  const quota = (p: AdminPolicy) => {
    const rc = p.defaultLimit.requestCount;
    if (rc && rc.requestCount >= 2147483647) return 'Unlimited';
    return rc
      ? `${rc.requestCount} requests per ${rc.unitTime === 1 ? '' : `${rc.unitTime} `}${rc.timeUnit}`
      : '—';
  };
  return (
    <>
      <PageHeader title="Throttling Policies">
        <Link to={`/admin/policies/${level}/create`} className="btn btn-primary">
          Add Policy
        </Link>
      </PageHeader>
      <Tabs
        label="Policy levels"
        tabs={LEVELS}
        active={level}
        onChange={(id) => navigate(`/admin/policies/${id}`, { replace: true, keepFocus: true })}
      >
        <ActionMessages action={action} />
        <ResourceTable
          rows={list.data?.list}
          error={list.error}
          loading="Loading policies"
          empty="No policies at this level."
          rowKey={(p) => p.policyId}
          columns={[
            {
              header: 'Name',
              cell: (p) => (
                <Link to={`/admin/policies/${level}/${p.policyId}`}>{p.displayName || p.policyName}</Link>
              ),
            },
            { header: 'Quota', cell: quota },
            { header: 'Description', cell: (p) => p.description || '—' },
          ]}
          actions={(p) => (
            <RowActions
              rowId={p.policyId}
              action={action}
              actions={[
                {
                  label: 'Delete',
                  ariaLabel: `Delete ${p.policyName}`,
                  danger: true,
                  confirm: `Delete the policy ${p.policyName}?`,
                  run: () => api<void>('DELETE', `${ADM}/throttling/policies/${level}/${p.policyId}`),
                },
              ]}
            >
              <Link
                to={`/admin/policies/${level}/${p.policyId}`}
                className="btn btn-link"
                aria-label={`Edit ${p.policyName}`}
              >
                Edit
              </Link>
            </RowActions>
          )}
        />
      </Tabs>
    </>
  );
}
