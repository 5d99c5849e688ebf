import { useState, type FormEvent } from 'react';
import { api, DP, errorText, type List } from '../lib/api';
import { Link } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { SelectField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Loading } from '../components/loading';
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
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const subscribed = new Set(subs.data?.list.map((s) => s.applicationId));
  const available = apps.data?.list.filter((x) => !subscribed.has(x.applicationId)) ?? [];
  const appName = (id: string) => apps.data?.list.find((x) => x.applicationId === id)?.name ?? id;

  const subscribe = async (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof errors = {};
    if (!appId) errs.app = 'Select an application.';
    if (!policy) errs.policy = 'Select a throttling policy.';
    setErrors(errs);
    setFailure(null);
    setDone(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await api('POST', `${DP}/subscriptions`, {
        applicationId: appId,
        apiId: a.id,
        throttlingPolicy: policy,
      });
      setDone(`${appName(appId)} is subscribed to ${a.name} with the ${policy} policy.`);
      setAppId('');
      subs.reload();
      apps.reload();
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
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
          {failure ? <Alert kind="error">{failure}</Alert> : null}
          {done ? <Alert kind="success">{done}</Alert> : null}
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
            <Button type="submit" variant="primary" busy={busy}>
              Subscribe
            </Button>
            <Link to="/devportal/applications/create" className="btn btn-link">
              Create an application
            </Link>
          </div>
        </form>
      )}
      <h3>Applications subscribed to this API</h3>
      {subs.error ? <Alert kind="error">{subs.error}</Alert> : null}
      {subs.data.list.length === 0 ? (
        <p className="empty">None of your applications is subscribed yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Application</th>
                <th scope="col">Throttling policy</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {subs.data.list.map((s) => (
                <tr key={s.subscriptionId}>
                  <td>{s.applicationInfo?.name ?? appName(s.applicationId)}</td>
                  <td>{s.throttlingPolicy}</td>
                  <td>{s.status}</td>
                  <td>
                    <Link
                      to={`/devportal/applications/${s.applicationId}`}
                      className="btn btn-secondary"
                      aria-label={`MANAGE APP ${s.applicationInfo?.name ?? appName(s.applicationId)}`}
                    >
                      MANAGE APP
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
