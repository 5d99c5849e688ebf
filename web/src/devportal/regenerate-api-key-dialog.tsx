import { useState, type FormEvent } from 'react';
import { api, errorText } from '../lib/api';
import { TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { CopyField } from '../components/copy-field';
import { Dialog } from '../components/dialog';
import { useIssuedApiKey, type NewApiKeyResponse } from './use-issued-api-key';
import type { KeyType } from './types';

/** What the dialog needs of the key it replaces. */
export interface KeyToRegenerate {
  keyId: string;
  keyName: string | null;
  keyType: KeyType;
}

/** Longest grace the server accepts (`MAX_GRACE_SECONDS` of api-key-rotation.ts: 30 days). */
const MAX_GRACE_SECONDS = 30 * 24 * 3600;

/**
 * Regenerate one API key (WSO2 4.7 `regenerate` with Portico's `gracePeriod`): a new key with the old one's name,
 * restrictions and validity, shown once. With a grace period the old key keeps working until it ends (ROTATING).
 */
export function RegenerateApiKeyDialog(p: {
  /** Names what the key is for in the remembered-credentials list (an application or API name). */
  owner: string;
  /** The `regenerate` operation of the key's application key type or of its API. */
  endpoint: string;
  apiKey: KeyToRegenerate | null;
  onClose(): void;
  onRegenerated(): void;
}) {
  const [grace, setGrace] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const { key, issued, clear } = useIssuedApiKey(p.owner, p.onRegenerated);
  const [busy, setBusy] = useState(false);
  const close = () => {
    clear();
    setGrace('');
    setError(null);
    setFailure(null);
    p.onClose();
  };
  const k = p.apiKey;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!k) return;
    const g = grace.trim();
    if (g && (!/^\d{1,7}$/.test(g) || Number(g) > MAX_GRACE_SECONDS)) {
      setError(`Enter the grace period as whole seconds from 0 to ${MAX_GRACE_SECONDS} (30 days).`);
      return;
    }
    setError(null);
    setFailure(null);
    setBusy(true);
    try {
      const r = await api<NewApiKeyResponse>('POST', p.endpoint, {
        keyUUID: k.keyId,
        ...(g ? { gracePeriod: Number(g) } : {}),
      });
      issued(r, k.keyType);
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={k !== null} onClose={close} title="Regenerate API Key" wide>
      {key ? (
        <div className="stack">
          <Alert kind="warning">Copy the new API key now. It is not stored and cannot be shown again.</Alert>
          <CopyField label="API Key" value={key} />
          <div className="form-actions">
            <Button variant="primary" onClick={close}>
              Done
            </Button>
          </div>
        </div>
      ) : (
        <form className="stack" onSubmit={submit} noValidate>
          <p>
            A new key replaces <strong>{k?.keyName ?? k?.keyId}</strong>, with its name, restrictions and
            validity period.
          </p>
          {failure ? <Alert kind="error">{failure}</Alert> : null}
          <TextField
            label="Grace period (seconds)"
            inputMode="numeric"
            value={grace}
            onChange={setGrace}
            error={error}
            hint="Optional. How long the old key keeps working, so callers can switch. Empty or 0: the old key stops at once."
          />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={busy}>
              Regenerate
            </Button>
            <Button onClick={close}>Cancel</Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
