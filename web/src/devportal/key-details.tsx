import { useState, type FormEvent } from 'react';
import { api, DP, errorText } from '../lib/api';
import { rememberCredential } from '../lib/secrets';
import { TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { CopyField } from '../components/copy-field';
import { Dialog } from '../components/dialog';
import { GRANT_LABELS, type Application, type ApplicationKey, type ApplicationToken } from './types';

/** Generated keys of one key manager: consumer key and secret, and access tokens on demand. */
export function KeyDetails(p: {
  app: Application;
  mapping: ApplicationKey;
  secret: string | null;
  token: ApplicationToken | null;
  onSecret(s: string): void;
  onToken(t: ApplicationToken): void;
}) {
  const m = p.mapping;
  const [dialog, setDialog] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `${DP}/applications/${p.app.applicationId}/oauth-keys/${m.keyMappingId}`;
  const regenerate = async () => {
    if (!window.confirm('Regenerate the consumer secret? The current secret stops working.')) return;
    setBusy(true);
    setFailure(null);
    try {
      const r = await api<{ consumerSecret: string }>('POST', `${base}/regenerate-secret`);
      p.onSecret(r.consumerSecret);
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stack">
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      <CopyField label="Consumer Key" value={m.consumerKey} />
      {p.secret ? (
        <>
          <CopyField label="Consumer Secret" value={p.secret} secret />
          <Alert kind="warning">
            Copy the consumer secret now: it is stored hashed and cannot be shown again.
          </Alert>
        </>
      ) : (
        <div className="field">
          <p className="label-like">Consumer Secret</p>
          <p className="field-hint">
            Stored hashed: it was shown once when it was generated. Regenerate it if it is lost.
          </p>
        </div>
      )}
      <div className="form-actions">
        <Button variant="primary" onClick={() => setDialog(true)}>
          Generate Access Token
        </Button>
        <Button onClick={() => void regenerate()} busy={busy}>
          Regenerate Consumer Secret
        </Button>
      </div>
      {p.token ? <TokenView token={p.token} /> : null}
      <dl className="facts">
        <dt>Grant types</dt>
        <dd>{m.supportedGrantTypes.map((g) => GRANT_LABELS[g] ?? g).join(', ') || '—'}</dd>
        <dt>Callback URL</dt>
        <dd>{m.callbackUrl || '—'}</dd>
        <dt>Key state</dt>
        <dd>{m.keyState}</dd>
      </dl>
      <TokenDialog
        open={dialog}
        onClose={() => setDialog(false)}
        base={base}
        secret={p.secret}
        onToken={(t) => {
          rememberCredential({
            label: `${p.app.name} ${m.keyType.toLowerCase()} token`,
            kind: 'oauth2',
            keyType: m.keyType,
            value: t.accessToken,
          });
          p.onToken(t);
        }}
      />
    </div>
  );
}

function TokenView({ token }: { token: ApplicationToken }) {
  return (
    <section className="token" aria-label="Access token">
      <CopyField label="Access Token" value={token.accessToken} />
      <p className="meta">
        {token.validityTime < 0 ? 'Never expires' : `Valid for ${token.validityTime} seconds`}
        {token.tokenScopes.length ? ` · Scopes: ${token.tokenScopes.join(' ')}` : ''}
      </p>
      <p className="field-hint">
        Copy the access token: it is not stored and is not shown again after you leave.
      </p>
    </section>
  );
}

function TokenDialog(p: {
  open: boolean;
  onClose(): void;
  base: string;
  secret: string | null;
  onToken(t: ApplicationToken): void;
}) {
  const [secret, setSecret] = useState('');
  const [validity, setValidity] = useState('3600');
  const [scopes, setScopes] = useState('');
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
    if (!/^-?\d{1,10}$/.test(validity.trim()) || Number(validity) === 0)
      errs.validity = 'Enter a whole number of seconds (negative: the token never expires).';
    setErrors(errs);
    setFailure(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const t = await api<ApplicationToken>('POST', `${p.base}/generate-token`, {
        consumerSecret,
        validityPeriod: Number(validity),
        scopes: scopes.split(/[\s,]+/).filter(Boolean),
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
          <TextField
            label="Access token validity period"
            inputMode="numeric"
            value={validity}
            onChange={setValidity}
            error={errors.validity}
            hint="Seconds. A negative value makes a token that never expires."
          />
          <TextField
            label="Scopes"
            value={scopes}
            onChange={setScopes}
            hint="Optional, separated by spaces."
          />
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
