import { ADM, api, type List } from '../lib/api';
import { Link, navigate } from '../lib/router';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { PageHeader } from '../components/page-header';
import { ResourceTable } from '../components/resource-table';
import { Tabs } from '../components/tabs';
import { burstText, hasBurstControl } from './policy-burst';

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
  /** Application policies' burst control; null (or a count of 0) when none. */
  burstLimit?: { rateLimitCount?: number | null; rateLimitTimeUnit?: string | null } | null;
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
        <ResourceTable
          list={list}
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
            ...(hasBurstControl(level)
              ? [{ header: 'Burst control', cell: (p: AdminPolicy) => burstText(level, p) }]
              : []),
            { header: 'Description', cell: (p) => p.description || '—' },
          ]}
          action={action}
          rowActions={(p) => [
            {
              label: 'Delete',
              ariaLabel: `Delete ${p.policyName}`,
              danger: true,
              confirm: `Delete the policy ${p.policyName}?`,
              run: () => api<void>('DELETE', `${ADM}/throttling/policies/${level}/${p.policyId}`),
            },
          ]}
          actions={(p) => (
            <Link
              to={`/admin/policies/${level}/${p.policyId}`}
              className="btn btn-link"
              aria-label={`Edit ${p.policyName}`}
            >
              Edit
            </Link>
          )}
        />
      </Tabs>
    </>
  );
}
