import { useState, type FormEvent } from 'react';
import { api, errorText } from '../lib/api';
import { isNever } from '../lib/format-validity';
import { CheckboxField, TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { CopyField } from '../components/copy-field';
import { Dialog } from '../components/dialog';
import { ScopePicker } from './scope-picker';
import { validityProblem } from './token-validity';
import type { Application, ApplicationToken, KeyManager } from './types';

/** An access token just issued: shown with its validity ("Never expires" for a negative one) and scopes. */
export function TokenView({ token }: { token: ApplicationToken }) {
  return (
    <section className="token" aria-label="Access token">
      <CopyField label="Access Token" value={token.accessToken} />
      <p className="meta">
        {isNever(token.validityTime) ? 'Never expires' : `Valid for ${token.validityTime} seconds`}
        {token.tokenScopes.filter(Boolean).length ? ` · Scopes: ${token.tokenScopes.join(' ')}` : ''}
      </p>
      <p className="field-hint">
        Copy the access token: it is not stored and is not shown again after you leave.
      </p>
    </section>
  );
}

/** Generate Access Token: the consumer secret (unless just shown), validity or never, and scopes. */
export function AccessTokenDialog(p: {
  open: boolean;
  onClose(): void;
  app: Application;
  km: Pick<KeyManager, 'type'>;
  /** `.../oauth-keys/{keyMappingId}` */
  base: string;
  secret: string | null;
  onToken(t: ApplicationToken): void;
}) {
  const [secret, setSecret] = useState('');
  const [validity, setValidity] = useState('3600');
  const [never, setNever] = useState(false);
  const [scopes, setScopes] = useState<string[]>([]);
  const [errors, setErrors] = useState<{ secret?: string; validity?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [token, setToken] = useState<ApplicationToken | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setToken(null);
    setFailure(null);
    setErrors({});
    p.onClose();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof errors = {};
    const consumerSecret = p.secret ?? secret.trim();
    if (!consumerSecret) errs.secret = 'Enter the consumer secret of these keys.';
    const validityError = never ? null : validityProblem(validity);
    if (validityError) errs.validity = validityError;
    setErrors(errs);
    setFailure(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const t = await api<ApplicationToken>('POST', `${p.base}/generate-token`, {
        consumerSecret,
        validityPeriod: never ? -1 : Number(validity),
        scopes,
      });
      setToken(t);
      p.onToken(t);
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={p.open} onClose={close} title="Generate Access Token">
      {token ? (
        <>
          <TokenView token={token} />
          <div className="form-actions">
            <Button variant="primary" onClick={close}>
              Done
            </Button>
          </div>
        </>
      ) : (
        <form className="stack" onSubmit={submit} noValidate>
          {failure ? <Alert kind="error">{failure}</Alert> : null}
          {p.secret === null ? (
            <TextField
              label="Consumer Secret"
              type="password"
              value={secret}
              onChange={setSecret}
              autoComplete="off"
              error={errors.secret}
              required
            />
          ) : null}
          <CheckboxField label="The token never expires" checked={never} onChange={setNever} />
          {!never ? (
            <TextField
              label="Access token validity period"
              inputMode="numeric"
              value={validity}
              onChange={setValidity}
              error={errors.validity}
              hint="Seconds."
            />
          ) : null}
          <ScopePicker app={p.app} km={p.km} value={scopes} onChange={setScopes} />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={busy}>
              Generate
            </Button>
            <Button onClick={close}>Cancel</Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
