import { useState, type FormEvent } from 'react';
import { api, DP, errorText, type List } from '../lib/api';
import { rememberCredential } from '../lib/secrets';
import { useSession } from '../lib/session';
import { useLoad } from '../lib/use-load';
import { CheckboxField, CheckboxGroup, TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Loading } from '../components/loading';
import { Tabs } from '../components/tabs';
import { KeyDetails } from './key-details';
import { ScopePicker } from './scope-picker';
import { validityProblem } from './token-validity';
import {
  GRANT_LABELS,
  type Application,
  type ApplicationKey,
  type ApplicationToken,
  type KeyManager,
  type KeyType,
} from './types';

const DEFAULT_GRANTS = ['client_credentials', 'password', 'refresh_token'];
const NEEDS_CALLBACK = ['authorization_code', 'implicit'];

/** What the keys tab says when no key manager can issue keys: how to add one (a link for administrators). */
function NoKeyManager() {
  const { user } = useSession();
  const admin = !!user?.scopes.includes('apim:admin');
  return (
    <Alert kind="info">
      No key manager is enabled, so this application cannot get OAuth2 keys yet.{' '}
      {admin ? (
        <>
          Add or enable one in the Admin portal: <a href="/admin/key-managers">Key Managers</a>.
        </>
      ) : (
        'An administrator adds or enables one in the Admin portal (Key Managers).'
      )}
    </Alert>
  );
}

/** Production Keys / Sandbox Keys: one tab per key manager, each with its keys or the Generate Keys form. */
export function OAuthKeysPanel({ app, keyType }: { app: Application; keyType: KeyType }) {
  const kms = useLoad(() => api<List<KeyManager>>('GET', `${DP}/key-managers`), 'kms');
  const keys = useLoad(
    () => api<List<ApplicationKey>>('GET', `${DP}/applications/${app.applicationId}/oauth-keys`),
    app.applicationId,
  );
  const [active, setActive] = useState<string | null>(null);
  if (kms.error || keys.error) return <Alert kind="error">{kms.error ?? keys.error}</Alert>;
  if (!kms.data || !keys.data) return <Loading what="Loading keys" />;
  const managers = kms.data.list.filter((k) => k.enabled);
  if (!managers.length) return <NoKeyManager />;
  const current = managers.find((k) => k.id === active) ?? managers[0]!;
  const mapping = keys.data.list.find(
    (m) => m.keyType === keyType && (m.keyManager === current.name || m.keyManager === current.id),
  );
  const body = (
    <KeyManagerKeys
      key={`${keyType}-${current.id}`}
      app={app}
      keyType={keyType}
      km={current}
      mapping={mapping}
      onChanged={keys.reload}
    />
  );
  return (
    <Tabs
      small
      label="Key managers"
      tabs={managers.map((k) => ({ id: k.id, label: k.displayName ?? k.name }))}
      active={current.id}
      onChange={setActive}
    >
      {body}
    </Tabs>
  );
}

function KeyManagerKeys(p: {
  app: Application;
  keyType: KeyType;
  km: KeyManager;
  mapping: ApplicationKey | undefined;
  onChanged(): void;
}) {
  // The secret and the token are shown only from the generation answer: the server keeps the secret hashed.
  const [secret, setSecret] = useState<string | null>(null);
  const [token, setToken] = useState<ApplicationToken | null>(null);
  if (p.mapping) {
    return (
      <KeyDetails
        app={p.app}
        km={p.km}
        mapping={p.mapping}
        secret={secret}
        token={token}
        onSecret={setSecret}
        onToken={setToken}
      />
    );
  }
  return (
    <GenerateKeysForm
      {...p}
      onGenerated={(k) => {
        setSecret(k.consumerSecret ?? null);
        setToken(k.token ?? null);
        p.onChanged();
      }}
    />
  );
}

function GenerateKeysForm(p: {
  app: Application;
  keyType: KeyType;
  km: KeyManager;
  onGenerated(k: ApplicationKey): void;
}) {
  const available = p.km.availableGrantTypes;
  const [grants, setGrants] = useState(DEFAULT_GRANTS.filter((g) => available.includes(g)));
  const [callback, setCallback] = useState('');
  const [validity, setValidity] = useState('3600');
  const [never, setNever] = useState(false);
  const [scopes, setScopes] = useState<string[]>([]);
  const [errors, setErrors] = useState<{ grants?: string; callback?: string; validity?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof errors = {};
    if (!grants.length) errs.grants = 'Select at least one grant type.';
    const cb = callback.trim();
    if (grants.some((g) => NEEDS_CALLBACK.includes(g)) && !cb)
      errs.callback = 'The Code and Implicit grants need a callback URL.';
    else if (cb && !/^https?:\/\/\S+$/.test(cb)) errs.callback = 'Enter an http:// or https:// URL.';
    const validityError = never ? null : validityProblem(validity);
    if (validityError) errs.validity = validityError;
    setErrors(errs);
    setFailure(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const key = await api<ApplicationKey>(
        'POST',
        `${DP}/applications/${p.app.applicationId}/generate-keys`,
        {
          keyType: p.keyType,
          keyManager: p.km.name,
          grantTypesToBeSupported: grants,
          callbackUrl: cb || null,
          scopes,
          validityTime: never ? '-1' : validity.trim(),
          additionalProperties: {},
        },
      );
      if (key.token?.accessToken) {
        rememberCredential({
          label: `${p.app.name} ${p.keyType.toLowerCase()} token`,
          kind: 'oauth2',
          keyType: p.keyType,
          value: key.token.accessToken,
        });
      }
      p.onGenerated(key);
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="stack"
      onSubmit={submit}
      noValidate
      aria-label={`Generate ${p.keyType.toLowerCase()} keys`}
    >
      <p>
        No {p.keyType === 'PRODUCTION' ? 'production' : 'sandbox'} keys yet for this application. Generate a
        consumer key and secret; an access token is issued with them.
      </p>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      <CheckboxGroup
        legend="Grant types"
        options={available.map((g) => ({ value: g, label: GRANT_LABELS[g] ?? g }))}
        values={grants}
        onChange={setGrants}
        error={errors.grants}
      />
      <TextField
        label="Callback URL"
        type="url"
        value={callback}
        onChange={setCallback}
        error={errors.callback}
        placeholder="https://app.example.com/callback"
      />
      <CheckboxField label="Access tokens never expire" checked={never} onChange={setNever} />
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
          Generate Keys
        </Button>
      </div>
    </form>
  );
}
