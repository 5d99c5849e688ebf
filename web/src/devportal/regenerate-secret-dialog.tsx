import { useState, type FormEvent } from 'react';
import { api, errorText } from '../lib/api';
import { when } from '../lib/format-time';
import { TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Dialog } from '../components/dialog';

/**
 * Regenerate Consumer Secret: a new secret replacing the others, at once or (where the key manager can keep an
 * old secret, `withGrace`) after a grace period during which the old secrets still work (ROTATING).
 */
export function RegenerateSecretDialog(p: {
  open: boolean;
  /** `.../oauth-keys/{keyMappingId}` */
  base: string;
  withGrace: boolean;
  onClose(): void;
  onRegenerated(secret: string, graceEndsAt: number | null): void;
}) {
  const [grace, setGrace] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setGrace('');
    setError(null);
    setFailure(null);
    p.onClose();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const g = p.withGrace ? grace.trim() : '';
    if (g && !/^\d{1,8}$/.test(g)) {
      setError('Enter the grace period as a whole number of seconds.');
      return;
    }
    setError(null);
    setFailure(null);
    setBusy(true);
    try {
      const r = await api<{ consumerSecret: string; graceExpiresAt?: number }>(
        'POST',
        `${p.base}/regenerate-secret`,
        g ? { gracePeriod: Number(g) } : undefined,
      );
      p.onRegenerated(r.consumerSecret, r.graceExpiresAt === undefined ? null : r.graceExpiresAt * 1000);
      close();
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={p.open} onClose={close} title="Regenerate Consumer Secret">
      <form className="stack" onSubmit={submit} noValidate>
        <p>
          A new consumer secret replaces the current ones.{' '}
          {p.withGrace ? 'Without a grace period they stop working at once.' : 'They stop working at once.'}
        </p>
        {failure ? <Alert kind="error">{failure}</Alert> : null}
        {p.withGrace ? (
          <TextField
            label="Grace period (seconds)"
            inputMode="numeric"
            value={grace}
            onChange={setGrace}
            error={error}
            hint="Optional. How long the current secrets keep working, so clients can switch."
          />
        ) : null}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            Regenerate
          </Button>
          <Button onClick={close}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

/** The notice after a regenerate with grace. */
export function graceNotice(graceEndsAt: number | null): string | null {
  return graceEndsAt === null ? null : `The previous secrets keep working until ${when(graceEndsAt)}.`;
}
