import { useState } from 'react';
import { api, errorText, PUB, type List } from '../lib/api';
import { useLoad } from '../lib/use-load';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Loading } from '../components/loading';
import type { PubApi, PubSubscription } from './types';

/** Subscriptions to this API, with Block / Unblock. */
export function SubscriptionsSection({ api: a }: { api: PubApi }) {
  const subs = useLoad(
    () => api<List<PubSubscription>>('GET', `${PUB}/subscriptions?apiId=${a.id}&limit=100`),
    a.id,
  );
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const act = async (s: PubSubscription, block: boolean) => {
    setBusy(s.subscriptionId);
    setFailure(null);
    try {
      await api(
        'POST',
        block
          ? `${PUB}/subscriptions/block-subscription?subscriptionId=${s.subscriptionId}&blockState=BLOCKED`
          : `${PUB}/subscriptions/unblock-subscription?subscriptionId=${s.subscriptionId}`,
      );
      subs.reload();
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section aria-labelledby="pub-subs-title" className="stack">
      <h1 id="pub-subs-title">Subscriptions</h1>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      {subs.error ? <Alert kind="error">{subs.error}</Alert> : null}
      {!subs.data && !subs.error ? <Loading what="Loading subscriptions" /> : null}
      {subs.data && subs.data.list.length === 0 ? (
        <p className="empty">No application is subscribed to this API.</p>
      ) : null}
      {subs.data && subs.data.list.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Application</th>
                <th scope="col">Subscriber</th>
                <th scope="col">Throttling policy</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {subs.data.list.map((s) => {
                const blocked =
                  s.subscriptionStatus === 'BLOCKED' || s.subscriptionStatus === 'PROD_ONLY_BLOCKED';
                return (
                  <tr key={s.subscriptionId}>
                    <td>{s.applicationInfo.name}</td>
                    <td>{s.applicationInfo.subscriber}</td>
                    <td>{s.throttlingPolicy}</td>
                    <td>{s.subscriptionStatus}</td>
                    <td>
                      <Button
                        busy={busy === s.subscriptionId}
                        onClick={() => void act(s, !blocked)}
                        aria-label={`${blocked ? 'Unblock' : 'Block'} ${s.applicationInfo.name}`}
                      >
                        {blocked ? 'Unblock' : 'Block'}
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
