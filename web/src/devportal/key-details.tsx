import { useState } from 'react';
import { DP } from '../lib/api';
import { rememberCredential } from '../lib/secrets';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { CopyField } from '../components/copy-field';
import { AccessTokenDialog, TokenView } from './access-token-dialog';
import { ClientSecretsPanel } from './client-secrets-panel';
import { keyManagerCapabilities } from './key-manager-capabilities';
import { graceNotice, RegenerateSecretDialog } from './regenerate-secret-dialog';
import {
  GRANT_LABELS,
  type Application,
  type ApplicationKey,
  type ApplicationToken,
  type KeyManager,
} from './types';

/**
 * Generated keys of one key manager: consumer key and secret, access tokens on demand, Regenerate Consumer Secret
 * (with a grace period where the key manager can keep the old one; hidden where it cannot regenerate at all) and,
 * for the resident key manager, the list of client secrets.
 */
export function KeyDetails(p: {
  app: Application;
  km: KeyManager;
  mapping: ApplicationKey;
  secret: string | null;
  token: ApplicationToken | null;
  onSecret(s: string): void;
  onToken(t: ApplicationToken): void;
}) {
  const m = p.mapping;
  const caps = keyManagerCapabilities(p.km);
  const [tokenDialog, setTokenDialog] = useState(false);
  const [regenerateDialog, setRegenerateDialog] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [secretsVersion, setSecretsVersion] = useState(0);
  const base = `${DP}/applications/${p.app.applicationId}/oauth-keys/${m.keyMappingId}`;
  return (
    <div className="stack">
      {notice ? <Alert kind="info">{notice}</Alert> : null}
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
            Stored hashed: it was shown once when it was generated.
            {caps.regenerateSecret ? ' Regenerate it if it is lost.' : ''}
          </p>
        </div>
      )}
      <div className="form-actions">
        <Button variant="primary" onClick={() => setTokenDialog(true)}>
          Generate Access Token
        </Button>
        {caps.regenerateSecret ? (
          <Button onClick={() => setRegenerateDialog(true)}>Regenerate Consumer Secret</Button>
        ) : null}
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
      {caps.multipleSecrets ? <ClientSecretsPanel base={base} version={secretsVersion} /> : null}
      <AccessTokenDialog
        open={tokenDialog}
        onClose={() => setTokenDialog(false)}
        app={p.app}
        km={p.km}
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
      <RegenerateSecretDialog
        open={regenerateDialog}
        base={base}
        withGrace={caps.regenerateWithGrace}
        onClose={() => setRegenerateDialog(false)}
        onRegenerated={(secret, graceEndsAt) => {
          p.onSecret(secret);
          setNotice(graceNotice(graceEndsAt));
          setSecretsVersion((v) => v + 1);
        }}
      />
    </div>
  );
}
