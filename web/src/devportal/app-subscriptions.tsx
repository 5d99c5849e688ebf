import { api, DP, type List } from '../lib/api';
import { Link } from '../lib/router';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { ActionMessages } from '../components/action-messages';
import { ResourceTable } from '../components/resource-table';
import { RowActions } from '../components/row-actions';
import type { Application, Subscription } from './types';

/** The application's subscriptions, with Unsubscribe. */
export function AppSubscriptions({ app, onChanged }: { app: Application; onChanged(): void }) {
  const subs = useLoad(
    () => api<List<Subscription>>('GET', `${DP}/subscriptions?applicationId=${app.applicationId}&limit=100`),
    app.applicationId,
  );
  const action = useAction(() => {
    subs.reload();
    onChanged();
  });
  return (
    <section aria-labelledby="app-subs-title">
      <h2 id="app-subs-title">Subscriptions</h2>
      <ActionMessages action={action} />
      <ResourceTable
        rows={subs.data?.list}
        error={subs.error}
        loading="Loading subscriptions"
        empty={
          <>
            No subscriptions yet. Open an API in the <Link to="/devportal/apis">APIs</Link> list and subscribe
            this application from its Subscriptions section.
          </>
        }
        rowKey={(s) => s.subscriptionId}
        columns={[
          {
            header: 'API',
            cell: (s) => (
              <Link to={`/devportal/apis/${s.apiId}`}>
                {s.apiInfo.name ?? s.apiId} {s.apiInfo.version ?? ''}
              </Link>
            ),
          },
          { header: 'Throttling policy', cell: (s) => s.throttlingPolicy },
          { header: 'Status', cell: (s) => s.status },
        ]}
        actions={(s) => (
          <RowActions
            rowId={s.subscriptionId}
            action={action}
            actions={[
              {
                label: 'Unsubscribe',
                ariaLabel: `Unsubscribe from ${s.apiInfo.name ?? s.apiId}`,
                danger: true,
                confirm: `Unsubscribe ${app.name} from ${s.apiInfo.name ?? s.apiId}? Its tokens and API keys stop working for this API.`,
                run: () => api<void>('DELETE', `${DP}/subscriptions/${s.subscriptionId}`),
              },
            ]}
          />
        )}
      />
    </section>
  );
}
