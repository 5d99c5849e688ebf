import { useState, type FormEvent } from 'react';
import { api, errorText } from '../lib/api';
import { CheckboxField, CheckboxGroup, TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { EVENT_TYPES, WEBHOOKS, type WebhookEndpoint } from './webhook-model';

/**
 * Add (POST) or edit (PUT) a webhook endpoint: URL, description, event types (none ticked = all), enabled.
 * `onSaved` gets the answer (with `secret` after a create).
 */
export function WebhookForm(p: {
  endpoint?: WebhookEndpoint;
  onSaved(saved: WebhookEndpoint & { secret?: string }): void;
}) {
  const e = p.endpoint;
  const [url, setUrl] = useState(e?.url ?? '');
  const [description, setDescription] = useState(e?.description ?? '');
  const [events, setEvents] = useState<string[]>(e?.events ?? []);
  const [enabled, setEnabled] = useState(e?.enabled ?? true);
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = e ? 'edit-webhook-title' : 'add-webhook-title';
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setFailure(null);
    const u = url.trim();
    setError(u ? null : 'Enter the https URL of the endpoint.');
    if (!u) return;
    setBusy(true);
    try {
      const body = { url: u, description: description.trim(), events, enabled };
      const saved = e
        ? await api<WebhookEndpoint>('PUT', `${WEBHOOKS}/${e.id}`, body)
        : await api<WebhookEndpoint & { secret: string }>('POST', WEBHOOKS, body);
      p.onSaved(saved);
      if (!e) {
        setUrl('');
        setDescription('');
        setEvents([]);
      }
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby={titleId}>
      <h2 id={titleId}>{e ? 'Edit endpoint' : 'Add an endpoint'}</h2>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      <TextField
        label="URL"
        value={url}
        onChange={setUrl}
        hint="https only; Portico POSTs signed JSON events to it."
        error={error}
        autoComplete="off"
        required
      />
      <TextField label="Description" value={description} onChange={setDescription} autoComplete="off" />
      <CheckboxGroup
        legend="Events (none ticked: all events)"
        options={EVENT_TYPES}
        values={events}
        onChange={setEvents}
      />
      <CheckboxField label="Enabled" checked={enabled} onChange={setEnabled} />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          {e ? 'Save endpoint' : 'Add endpoint'}
        </Button>
      </div>
    </form>
  );
}
