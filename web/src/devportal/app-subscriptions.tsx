import { useState } from 'react';
import { api, DP, errorText, type List } from '../lib/api';
import { Link } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Loading } from '../components/loading';
import type { Application, Subscription } from './types';

/** The application's subscriptions, with Unsubscribe. */
export function AppSubscriptions({ app, onChanged }: { app: Application; onChanged(): void }) {
  const subs = useLoad(
    () => api<List<Subscription>>('GET', `${DP}/subscriptions?applicationId=${app.applicationId}&limit=100`),
    app.applicationId,
  );
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const unsubscribe = async (s: Subscription) => {
    const name = s.apiInfo.name ?? s.apiId;
    if (
      !window.confirm(
        `Unsubscribe ${app.name} from ${name}? Its tokens and API keys stop working for this API.`,
      )
    )
      return;
    setBusy(s.subscriptionId);
    setFailure(null);
    try {
      await api('DELETE', `${DP}/subscriptions/${s.subscriptionId}`);
      subs.reload();
      onChanged();
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(null);
    }
  };
  if (subs.error) return <Alert kind="error">{subs.error}</Alert>;
  if (!subs.data) return <Loading what="Loading subscriptions" />;
  return (
    <section aria-labelledby="app-subs-title">
      <h2 id="app-subs-title">Subscriptions</h2>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      {subs.data.list.length === 0 ? (
        <p className="empty">
          No subscriptions yet. Open an API in the <Link to="/devportal/apis">APIs</Link> list and subscribe
          this application from its Subscriptions section.
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">API</th>
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
                  <td>
                    <Link to={`/devportal/apis/${s.apiId}`}>
                      {s.apiInfo.name ?? s.apiId} {s.apiInfo.version ?? ''}
                    </Link>
                  </td>
                  <td>{s.throttlingPolicy}</td>
                  <td>{s.status}</td>
                  <td>
                    <Button
                      variant="link"
                      className="danger-text"
                      busy={busy === s.subscriptionId}
                      onClick={() => void unsubscribe(s)}
                      aria-label={`Unsubscribe from ${s.apiInfo.name ?? s.apiId}`}
                    >
                      Unsubscribe
                    </Button>
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
