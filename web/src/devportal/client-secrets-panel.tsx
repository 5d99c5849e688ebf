import { useState, type FormEvent } from 'react';
import { api, errorText, type List } from '../lib/api';
import { when } from '../lib/format-time';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { CheckboxField, TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { CopyField } from '../components/copy-field';
import { Loading } from '../components/loading';
import { ResourceTable } from '../components/resource-table';
import type { ConsumerSecret } from './types';

const seconds = (t: number | null) => (t === null ? null : t * 1000);

/** The State cell: ROTATING secrets name the end of their grace. */
function secretState(s: ConsumerSecret): string {
  const a = s.additionalProperties;
  return a.state === 'ROTATING' && a.graceExpiresAt !== undefined
    ? `ROTATING until ${when(a.graceExpiresAt * 1000)}`
    : a.state;
}

/**
 * Client secrets of one resident key (WSO2 4.7 multiple secrets): the masked list with description, created,
 * expiry and state, Revoke, and Add (description and expiry or never) showing the new secret once.
 * `version` changes when the secrets changed elsewhere (a regenerate), to reload the list.
 */
export function ClientSecretsPanel(p: { base: string; version: number }) {
  const secrets = useLoad(
    () => api<List<ConsumerSecret>>('GET', `${p.base}/secrets`),
    `${p.base}#${p.version}`,
  );
  const action = useAction(secrets.reload);
  const [created, setCreated] = useState<string | null>(null);
  if (secrets.error && /switched off/.test(secrets.error)) {
    return (
      <p className="field-hint">This key holds one consumer secret (multiple secrets are switched off).</p>
    );
  }
  const label = (s: ConsumerSecret) => s.additionalProperties.description || s.secretValue;
  return (
    <section className="stack" aria-labelledby="client-secrets-title">
      <h3 id="client-secrets-title">Client secrets</h3>
      {created ? (
        <div className="stack">
          <CopyField label="New Client Secret" value={created} secret />
          <Alert kind="warning">
            Copy the client secret now: it is stored hashed and cannot be shown again.
          </Alert>
          <div className="form-actions">
            <Button onClick={() => setCreated(null)}>Done</Button>
          </div>
        </div>
      ) : null}
      <ResourceTable
        list={secrets}
        label="Client secrets"
        loading="Loading client secrets"
        empty="No client secrets."
        rowKey={(s) => s.secretId}
        columns={[
          { header: 'Description', cell: (s) => s.additionalProperties.description || '—' },
          { header: 'Secret', cell: (s) => s.secretValue, className: 'mono' },
          { header: 'Created', cell: (s) => when(seconds(s.additionalProperties.createdTime)) },
          {
            header: 'Expires',
            cell: (s) =>
              s.additionalProperties.expiresAt === null
                ? 'Never'
                : when(s.additionalProperties.expiresAt * 1000),
          },
          { header: 'State', cell: secretState },
        ]}
        action={action}
        rowActions={(s) => [
          {
            label: 'Revoke',
            ariaLabel: `Revoke the client secret ${label(s)}`,
            danger: true,
            confirm: `Revoke the client secret ${label(s)}? Token requests with it are refused from now on.`,
            run: () => api<void>('POST', `${p.base}/revoke-secret`, { secretId: s.secretId }),
          },
        ]}
      />
      {secrets.data ? (
        <AddSecretForm
          base={p.base}
          onAdded={(secret) => {
            setCreated(secret);
            secrets.reload();
          }}
        />
      ) : (
        !secrets.error && <Loading what="Loading client secrets" />
      )}
    </section>
  );
}

function AddSecretForm(p: { base: string; onAdded(secret: string): void }) {
  const [description, setDescription] = useState('');
  const [never, setNever] = useState(false);
  const [expiresIn, setExpiresIn] = useState('2592000');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const t = expiresIn.trim();
    if (!never && (!/^\d{1,10}$/.test(t) || Number(t) < 1 || Number(t) > 2147483647)) {
      setError('Enter the expiry as a whole number of seconds (at least 1), or choose never.');
      return;
    }
    setError(null);
    setFailure(null);
    setBusy(true);
    try {
      const r = await api<ConsumerSecret>('POST', `${p.base}/generate-secret`, {
        additionalProperties: {
          ...(description.trim() ? { description: description.trim() } : {}),
          ...(never ? {} : { expiresIn: Number(t) }),
        },
      });
      setDescription('');
      p.onAdded(r.secretValue);
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Add a client secret">
      <h4>Add a client secret</h4>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      <TextField
        label="Secret description"
        value={description}
        onChange={setDescription}
        hint="Optional. Say where the secret is used."
      />
      <CheckboxField label="The secret never expires" checked={never} onChange={setNever} />
      {!never ? (
        <TextField
          label="Expires in (seconds)"
          inputMode="numeric"
          value={expiresIn}
          onChange={setExpiresIn}
          error={error}
          hint="2592000 seconds is 30 days."
        />
      ) : null}
      <div className="form-actions">
        <Button type="submit" busy={busy}>
          Add secret
        </Button>
      </div>
    </form>
  );
}
