import { useState, type FormEvent } from 'react';
import { api, DP, errorText } from '../lib/api';
import { SelectField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Dialog } from '../components/dialog';
import type { ApiBoundKey, Application } from './types';

/**
 * Associate an API-bound key with one of the user's applications (`POST /apis/{apiId}/api-keys/associate`): the
 * key then calls the API as that application. The server's refusal (already associated, not active) is shown.
 */
export function AssociateApiKeyDialog(p: {
  apiId: string;
  apiKey: ApiBoundKey | null;
  applications: readonly Application[] | undefined;
  onClose(): void;
  onAssociated(message: string): void;
}) {
  const [appId, setAppId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const k = p.apiKey;
  const close = () => {
    setAppId('');
    setError(null);
    setFailure(null);
    p.onClose();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!k) return;
    if (!appId) {
      setError('Choose an application.');
      return;
    }
    setError(null);
    setFailure(null);
    setBusy(true);
    try {
      const r = await api<{ keyName: string | null; applicationName: string }>(
        'POST',
        `${DP}/apis/${encodeURIComponent(p.apiId)}/api-keys/associate`,
        { keyUUID: k.keyUUID, applicationUUID: appId },
      );
      setAppId('');
      p.onAssociated(`${r.keyName ?? k.keyUUID} is associated with ${r.applicationName}.`);
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const apps = p.applications ?? [];
  return (
    <Dialog open={k !== null} onClose={close} title="Associate API Key">
      <form className="stack" onSubmit={submit} noValidate>
        <p>
          Calls with <strong>{k?.keyName ?? k?.keyUUID}</strong> are made as the application you choose: its
          subscription to this API and its throttling apply.
        </p>
        {failure ? <Alert kind="error">{failure}</Alert> : null}
        {p.applications && apps.length === 0 ? (
          <Alert kind="info">You have no applications yet.</Alert>
        ) : null}
        <SelectField
          label="Application"
          value={appId}
          onChange={setAppId}
          placeholder="Choose an application"
          options={apps.map((a) => ({ value: a.applicationId, label: a.name }))}
          error={error}
          required
        />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            Associate
          </Button>
          <Button onClick={close}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
