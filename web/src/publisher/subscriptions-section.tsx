import { api, PUB, type List } from '../lib/api';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { ActionMessages } from '../components/action-messages';
import { ResourceTable } from '../components/resource-table';
import { RowActions } from '../components/row-actions';
import type { PubApi, PubSubscription } from './types';

const isBlocked = (s: PubSubscription) =>
  s.subscriptionStatus === 'BLOCKED' || s.subscriptionStatus === 'PROD_ONLY_BLOCKED';

/** Subscriptions to this API, with Block / Unblock. */
export function SubscriptionsSection({ api: a }: { api: PubApi }) {
  const subs = useLoad(
    () => api<List<PubSubscription>>('GET', `${PUB}/subscriptions?apiId=${a.id}&limit=100`),
    a.id,
  );
  const action = useAction(subs.reload);
  const setBlocked = (s: PubSubscription, block: boolean) =>
    api<void>(
      'POST',
      block
        ? `${PUB}/subscriptions/block-subscription?subscriptionId=${s.subscriptionId}&blockState=BLOCKED`
        : `${PUB}/subscriptions/unblock-subscription?subscriptionId=${s.subscriptionId}`,
    );
  return (
    <section aria-labelledby="pub-subs-title" className="stack">
      <h1 id="pub-subs-title">Subscriptions</h1>
      <ActionMessages action={action} />
      <ResourceTable
        rows={subs.data?.list}
        error={subs.error}
        loading="Loading subscriptions"
        empty="No application is subscribed to this API."
        rowKey={(s) => s.subscriptionId}
        columns={[
          { header: 'Application', cell: (s) => s.applicationInfo.name },
          { header: 'Subscriber', cell: (s) => s.applicationInfo.subscriber },
          { header: 'Throttling policy', cell: (s) => s.throttlingPolicy },
          { header: 'Status', cell: (s) => s.subscriptionStatus },
        ]}
        actions={(s) => (
          <RowActions
            rowId={s.subscriptionId}
            action={action}
            actions={[
              isBlocked(s)
                ? {
                    label: 'Unblock',
                    ariaLabel: `Unblock ${s.applicationInfo.name}`,
                    run: () => setBlocked(s, false),
                  }
                : {
                    label: 'Block',
                    ariaLabel: `Block ${s.applicationInfo.name}`,
                    run: () => setBlocked(s, true),
                  },
            ]}
          />
        )}
      />
    </section>
  );
}
