import { useState, type FormEvent } from 'react';
import { api, DP, type List } from '../lib/api';
import { Link } from '../lib/router';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { ActionMessages } from '../components/action-messages';
import { SelectField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Loading } from '../components/loading';
import { ResourceTable } from '../components/resource-table';
import type { ApiDetail, Application, Subscription } from './types';

/** The Subscriptions section of an API: subscribe one of my applications under a policy; my subscriptions. */
export function ApiSubscriptions({ api: a }: { api: ApiDetail }) {
  const apps = useLoad(() => api<List<Application>>('GET', `${DP}/applications?limit=100`), 'apps');
  const subs = useLoad(
    () => api<List<Subscription>>('GET', `${DP}/subscriptions?apiId=${encodeURIComponent(a.id)}&limit=100`),
    a.id,
  );
  const [appId, setAppId] = useState('');
  const [policy, setPolicy] = useState(a.tiers[0]?.tierName ?? '');
  const [errors, setErrors] = useState<{ app?: string; policy?: string }>({});
  const action = useAction(() => {
    subs.reload();
    apps.reload();
  });

  const subscribed = new Set(subs.data?.list.map((s) => s.applicationId));
  const available = apps.data?.list.filter((x) => !subscribed.has(x.applicationId)) ?? [];
  const appName = (id: string) => apps.data?.list.find((x) => x.applicationId === id)?.name ?? id;

  const subscribe = async (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof errors = {};
    if (!appId) errs.app = 'Select an application.';
    if (!policy) errs.policy = 'Select a throttling policy.';
    setErrors(errs);
    if (Object.keys(errs).length) return;
    void action.run('subscribe', async () => {
      await api('POST', `${DP}/subscriptions`, {
        applicationId: appId,
        apiId: a.id,
        throttlingPolicy: policy,
      });
      setAppId('');
      return `${appName(appId)} is subscribed to ${a.name} with the ${policy} policy.`;
    });
  };

  if (apps.error) return <Alert kind="error">{apps.error}</Alert>;
  if (!apps.data || !subs.data) return <Loading what="Loading subscriptions" />;
  return (
    <section aria-labelledby="subs-title">
      <h2 id="subs-title">Subscriptions</h2>
      {a.lifeCycleStatus !== 'PUBLISHED' ? (
        <Alert kind="info">
          This API is {a.lifeCycleStatus.toLowerCase()}: new subscriptions are not possible.
        </Alert>
      ) : (
        <form className="inline-form" onSubmit={subscribe} noValidate aria-label="Subscribe an application">
          <ActionMessages action={action} />
          <SelectField
            label="Application"
            value={appId}
            onChange={setAppId}
            placeholder={available.length ? 'Select an application' : 'No application left to subscribe'}
            options={available.map((x) => ({ value: x.applicationId, label: x.name }))}
            error={errors.app}
            required
          />
          <SelectField
            label="Throttling policy"
            value={policy}
            onChange={setPolicy}
            options={a.tiers.map((t) => ({ value: t.tierName, label: t.tierName }))}
            error={errors.policy}
            required
          />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={action.busy === 'subscribe'}>
              Subscribe
            </Button>
            <Link to="/devportal/applications/create" className="btn btn-link">
              Create an application
            </Link>
          </div>
        </form>
      )}
      <h3>Applications subscribed to this API</h3>
      <ResourceTable
        rows={subs.data.list}
        error={subs.error}
        loading="Loading subscriptions"
        empty="None of your applications is subscribed yet."
        rowKey={(s) => s.subscriptionId}
        columns={[
          { header: 'Application', cell: (s) => s.applicationInfo?.name ?? appName(s.applicationId) },
          { header: 'Throttling policy', cell: (s) => s.throttlingPolicy },
          { header: 'Status', cell: (s) => s.status },
        ]}
        actions={(s) => (
          <Link
            to={`/devportal/applications/${s.applicationId}`}
            className="btn btn-secondary"
            aria-label={`MANAGE APP ${s.applicationInfo?.name ?? appName(s.applicationId)}`}
          >
            MANAGE APP
          </Link>
        )}
      />
    </section>
  );
}
