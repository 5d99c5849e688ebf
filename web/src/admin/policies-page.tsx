import { useState } from 'react';
import { ADM, api, errorText, type List } from '../lib/api';
import { Link, navigate } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Loading } from '../components/loading';
import { PageHeader } from '../components/page-header';
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
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const remove = async (p: AdminPolicy) => {
    if (!window.confirm(`Delete the policy ${p.policyName}?`)) return;
    setBusy(p.policyId);
    setFailure(null);
    try {
      await api('DELETE', `${ADM}/throttling/policies/${level}/${p.policyId}`);
      list.reload();
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(null);
    }
  };
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
        {failure ? <Alert kind="error">{failure}</Alert> : null}
        {list.error ? <Alert kind="error">{list.error}</Alert> : null}
        {!list.data && !list.error ? <Loading what="Loading policies" /> : null}
        {list.data ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Quota</th>
                  <th scope="col">Description</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.list.map((p) => (
                  <tr key={p.policyId}>
                    <td>
                      <Link to={`/admin/policies/${level}/${p.policyId}`}>
                        {p.displayName || p.policyName}
                      </Link>
                    </td>
                    <td>{quota(p)}</td>
                    <td>{p.description || '—'}</td>
                    <td className="row-actions">
                      <Link
                        to={`/admin/policies/${level}/${p.policyId}`}
                        className="btn btn-link"
                        aria-label={`Edit ${p.policyName}`}
                      >
                        Edit
                      </Link>
                      <Button
                        variant="link"
                        className="danger-text"
                        busy={busy === p.policyId}
                        onClick={() => void remove(p)}
                        aria-label={`Delete ${p.policyName}`}
                      >
                        Delete
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Tabs>
    </>
  );
}
