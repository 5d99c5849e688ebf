import { useState } from 'react';
import { api, type List } from '../lib/api';
import { when } from '../lib/format-time';
import { Link } from '../lib/router';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { SelectField } from '../components/fields';
import { Loading } from '../components/loading';
import { PageHeader } from '../components/page-header';
import { ResourceTable } from '../components/resource-table';
import { WebhookForm } from './webhook-form';
import { WEBHOOKS, type WebhookDelivery, type WebhookEndpoint } from './webhook-model';

const STATUSES = [
  { value: '', label: 'Any status' },
  { value: 'pending', label: 'Pending' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'failed', label: 'Failed' },
] as const;

/** How the attempts of a delivery read: `#1 500 (12 ms) answered 500; #2 200 (8 ms)`. */
const attemptsText = (d: WebhookDelivery) =>
  d.attemptLog
    .map((a) => `#${a.attempt} ${a.statusCode ?? '—'} (${a.durationMs} ms)${a.error ? ` ${a.error}` : ''}`)
    .join('; ') || '—';

/** One webhook endpoint: edit it, send a test event, and its delivery log (attempts, status, next retry). */
export function WebhookDeliveriesPage({ webhookId }: { webhookId: string }) {
  const endpoint = useLoad(() => api<WebhookEndpoint>('GET', `${WEBHOOKS}/${webhookId}`), webhookId);
  const [status, setStatus] = useState('');
  const query = status ? `&status=${status}` : '';
  const deliveries = useLoad(
    () => api<List<WebhookDelivery>>('GET', `${WEBHOOKS}/${webhookId}/deliveries?limit=100${query}`),
    `${webhookId}${query}`,
  );
  const action = useAction(deliveries.reload);
  const [saved, setSaved] = useState<string | null>(null);
  if (endpoint.error) return <Alert kind="error">{endpoint.error}</Alert>;
  if (!endpoint.data) return <Loading what="Loading the webhook endpoint" />;
  const w = endpoint.data;
  return (
    <>
      <PageHeader title={`Webhook ${w.description || w.url}`} />
      <p>
        <Link to="/admin/webhooks">All webhooks</Link> · signing secret ending in{' '}
        <span className="mono">{w.secretHint}</span>
      </p>
      {saved ? <Alert kind="success">{saved}</Alert> : null}
      <WebhookForm
        key={w.updatedTime}
        endpoint={w}
        onSaved={() => {
          setSaved('Endpoint saved.');
          endpoint.reload();
        }}
      />
      <h2>Deliveries</h2>
      <SelectField label="Status" value={status} onChange={setStatus} options={STATUSES} />
      <ResourceTable
        list={deliveries}
        label="Webhook deliveries"
        loading="Loading deliveries"
        empty="No deliveries yet."
        rowKey={(d) => d.id}
        columns={[
          { header: 'Created', cell: (d) => when(d.createdTime) },
          { header: 'Event', cell: (d) => d.eventType },
          { header: 'Event id', cell: (d) => d.eventId, className: 'mono' },
          { header: 'Status', cell: (d) => d.status },
          { header: 'Attempts', cell: attemptsText },
          { header: 'Next retry', cell: (d) => (d.nextAttemptTime ? when(d.nextAttemptTime) : '—') },
        ]}
        action={action}
      />
      {w.enabled ? (
        <p>
          <Button
            busy={action.busy === 'test'}
            onClick={() =>
              void action.run('test', async () => {
                await api('POST', `${WEBHOOKS}/${w.id}/test`);
                return 'Test event queued.';
              })
            }
          >
            Send test event
          </Button>
        </p>
      ) : null}
    </>
  );
}
