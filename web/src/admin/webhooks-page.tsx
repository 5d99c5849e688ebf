import { useState } from 'react';
import { api, type List } from '../lib/api';
import { Link } from '../lib/router';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { Alert } from '../components/alert';
import { CopyField } from '../components/copy-field';
import { PageHeader } from '../components/page-header';
import { ResourceTable } from '../components/resource-table';
import { WebhookForm } from './webhook-form';
import { eventsText, WEBHOOKS, type WebhookEndpoint } from './webhook-model';

/** Admin webhooks: list endpoints, add one (its secret shown once), enable/disable, send a test event, delete. */
export function WebhooksPage() {
  const list = useLoad(() => api<List<WebhookEndpoint>>('GET', `${WEBHOOKS}?limit=1000`), 'webhooks');
  const action = useAction(list.reload);
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const toggle = (w: WebhookEndpoint) =>
    api('PUT', `${WEBHOOKS}/${w.id}`, {
      url: w.url,
      description: w.description,
      events: w.events,
      enabled: !w.enabled,
    });
  return (
    <>
      <PageHeader title="Webhooks" />
      <p>
        Portico POSTs signed events to these endpoints when API keys and client secrets are created, rotated,
        revoked, leaked or about to expire.
      </p>
      {created ? (
        <Alert kind="success">
          Endpoint {created.url} added. Copy its signing secret now: it is not shown again.
          <CopyField label="Signing secret" value={created.secret} secret />
        </Alert>
      ) : null}
      <WebhookForm
        onSaved={(saved) => {
          setCreated({ url: saved.url, secret: saved.secret ?? '' });
          list.reload();
        }}
      />
      <h2>Endpoints</h2>
      <ResourceTable
        list={list}
        label="Webhook endpoints"
        loading="Loading webhook endpoints"
        empty="No webhook endpoints."
        rowKey={(w) => w.id}
        columns={[
          { header: 'URL', cell: (w) => w.url, className: 'mono' },
          { header: 'Description', cell: (w) => w.description || '—' },
          { header: 'Events', cell: (w) => eventsText(w.events) },
          { header: 'Status', cell: (w) => (w.enabled ? 'Enabled' : 'Disabled') },
        ]}
        action={action}
        actions={(w) => (
          <Link to={`/admin/webhooks/${w.id}`} aria-label={`Deliveries and settings of ${w.url}`}>
            Deliveries
          </Link>
        )}
        rowActions={(w) => [
          w.enabled && {
            label: 'Send test event',
            ariaLabel: `Send test event to ${w.url}`,
            run: async () => {
              await api('POST', `${WEBHOOKS}/${w.id}/test`);
              return `Test event queued for ${w.url}.`;
            },
          },
          {
            label: w.enabled ? 'Disable' : 'Enable',
            ariaLabel: `${w.enabled ? 'Disable' : 'Enable'} ${w.url}`,
            run: async () => {
              await toggle(w);
              return `${w.url} ${w.enabled ? 'disabled' : 'enabled'}.`;
            },
          },
          {
            label: 'Delete',
            ariaLabel: `Delete ${w.url}`,
            danger: true,
            confirm: `Delete the endpoint ${w.url} and its delivery log?`,
            run: async () => {
              await api<void>('DELETE', `${WEBHOOKS}/${w.id}`);
              return `${w.url} deleted.`;
            },
          },
        ]}
      />
    </>
  );
}
