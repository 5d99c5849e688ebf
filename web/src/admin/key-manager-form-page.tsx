import { useEffect, useState, type FormEvent } from 'react';
import { api, errorText } from '../lib/api';
import { Link, navigate } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { CheckboxField, SelectField, TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Loading } from '../components/loading';
import { PageHeader } from '../components/page-header';
import { ConnectionResult } from './key-manager-connection-result';
import {
  bodyOf,
  connectorFields,
  emptyForm,
  ENDPOINT_FIELDS,
  formFrom,
  KM_TYPES,
  KMS,
  storedSecrets,
  testConnection,
  type ConnectionCheck,
  type KeyManagerDto,
  type KeyManagerForm,
} from './key-manager-model';

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/;
const URL_RE = /^https?:\/\/[^\s/]+/i;
const VALIDATION = [
  { value: 'jwks', label: 'Self-validate JWTs with the JWKS' },
  { value: 'introspection', label: 'Introspection' },
];
/** Portico validates tokens directly: the API refuses EXCHANGED and BOTH (token exchange) with 400. */
const DIRECT = { value: 'DIRECT', label: 'Direct' };
/** Direct, and a value an older version stored, so the form shows it and saving reports why it is refused. */
const tokenTypeOptions = (stored: string) =>
  stored === DIRECT.value ? [DIRECT] : [DIRECT, { value: stored, label: `${stored} (not supported)` }];

/** Add or edit an external key manager (Keycloak, Okta, any OIDC provider), with Discover and Test connection. */
export function KeyManagerFormPage({ keyManagerId }: { keyManagerId?: string }) {
  const existing = useLoad(
    () => (keyManagerId ? api<KeyManagerDto>('GET', `${KMS}/${keyManagerId}`) : Promise.resolve(null)),
    keyManagerId ?? 'new',
  );
  const [f, setF] = useState<KeyManagerForm>(emptyForm());
  const [wellKnown, setWellKnown] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [tested, setTested] = useState<ConnectionCheck | null>(null);
  const set = (k: keyof KeyManagerForm) => (v: string | boolean) => setF((x) => ({ ...x, [k]: v }));
  const setProp = (k: string) => (v: string) => setF((x) => ({ ...x, props: { ...x.props, [k]: v } }));

  useEffect(() => {
    if (!existing.data) return;
    setF(formFrom(existing.data));
    setWellKnown(existing.data.wellKnownEndpoint);
  }, [existing.data]);

  const run = async (what: string, work: () => Promise<void>) => {
    setBusy(what);
    setFailure(null);
    setNotice(null);
    try {
      await work();
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  const discover = () => {
    if (!URL_RE.test(wellKnown.trim())) {
      setErrors({ wellKnown: 'Enter the http(s) URL of the provider’s .well-known/openid-configuration.' });
      return;
    }
    setErrors({});
    void run('discover', async () => {
      const found = await api<{ value: Partial<KeyManagerDto> }>('POST', `${KMS}/discover`, {
        url: wellKnown.trim(),
        type: f.type,
      });
      setF((x) => formFrom(found.value, x));
      setNotice('The endpoints were filled from the discovery document. Check them, then save.');
    });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!NAME_RE.test(f.name.trim()))
      errs.name = 'Start with a letter or digit; use letters, digits, space . _ -';
    if (!URL_RE.test(f.issuer.trim())) errs.issuer = 'Enter the issuer URL (http or https).';
    if (f.tokenValidationMethod === 'jwks' && !URL_RE.test(f.jwksUri.trim()))
      errs.jwksUri = 'Enter the JWKS URL, or validate tokens by introspection.';
    if (f.tokenValidationMethod === 'introspection' && !URL_RE.test(f.introspectionEndpoint.trim()))
      errs.introspectionEndpoint = 'Enter the introspection endpoint.';
    setErrors(errs);
    setFailure(null);
    if (Object.keys(errs).length) return;
    const body = bodyOf(f, existing.data ?? null);
    void run('save', async () => {
      if (keyManagerId) await api('PUT', `${KMS}/${keyManagerId}`, body);
      else await api('POST', KMS, body);
      navigate('/admin/key-managers');
    });
  };

  if (existing.error) return <Alert kind="error">{existing.error}</Alert>;
  if (existing.loading) return <Loading what="Loading the key manager" />;
  const title = keyManagerId ? `Edit ${existing.data?.displayName ?? f.name}` : 'Add a key manager';
  const secrets = storedSecrets(existing.data);
  return (
    <>
      <p className="crumbs">
        <Link to="/admin/key-managers">Key Managers</Link> / {keyManagerId ? 'Edit' : 'Add'}
      </p>
      <PageHeader title={title} />
      <form className="card form" onSubmit={submit} noValidate aria-label={title}>
        {failure ? <Alert kind="error">{failure}</Alert> : null}
        {notice ? <Alert kind="success">{notice}</Alert> : null}
        <div className="grid-2">
          <SelectField label="Type" value={f.type} onChange={set('type')} options={KM_TYPES} required />
          <TextField
            label="Name"
            value={f.name}
            onChange={set('name')}
            error={errors.name}
            readOnly={!!keyManagerId}
            hint={keyManagerId ? 'The name cannot be changed.' : undefined}
            required
          />
        </div>
        <TextField label="Display name" value={f.displayName} onChange={set('displayName')} />
        <TextField
          label="Description"
          multiline
          rows={2}
          value={f.description}
          onChange={set('description')}
        />
        <fieldset className="group">
          <legend>Discover from the well-known URL</legend>
          <TextField
            label="Well-known URL"
            type="url"
            value={wellKnown}
            onChange={(v) => {
              setWellKnown(v);
              setF((x) => ({ ...x, wellKnownEndpoint: v }));
            }}
            error={errors.wellKnown}
            hint="e.g. https://idp.example.com/realms/portico/.well-known/openid-configuration"
            autoComplete="off"
          />
          <Button onClick={discover} busy={busy === 'discover'}>
            Discover
          </Button>
        </fieldset>
        <fieldset className="group">
          <legend>Endpoints</legend>
          <TextField
            label="Issuer"
            type="url"
            value={f.issuer}
            onChange={set('issuer')}
            error={errors.issuer}
            required
          />
          <div className="grid-2">
            {ENDPOINT_FIELDS.map(([k, l]) => (
              <TextField key={k} label={l} type="url" value={f[k]} onChange={set(k)} error={errors[k]} />
            ))}
          </div>
        </fieldset>
        <fieldset className="group">
          <legend>Tokens</legend>
          <div className="grid-2">
            <SelectField
              label="Token validation"
              value={f.tokenValidationMethod}
              onChange={set('tokenValidationMethod')}
              options={VALIDATION}
            />
            <SelectField
              label="Token type"
              value={f.tokenType}
              onChange={set('tokenType')}
              options={tokenTypeOptions(f.tokenType)}
            />
            <TextField
              label="Consumer key claim"
              value={f.consumerKeyClaim}
              onChange={set('consumerKeyClaim')}
              hint="Empty: the type's default (Okta cid, Keycloak azp)."
            />
            <TextField
              label="Scopes claim"
              value={f.scopesClaim}
              onChange={set('scopesClaim')}
              hint="Empty: the type's default (Okta scp, others scope)."
            />
          </div>
          <TextField
            label="Grant types"
            value={f.grantTypes}
            onChange={set('grantTypes')}
            hint="Separated by spaces, e.g. client_credentials authorization_code refresh_token"
          />
        </fieldset>
        <fieldset className="group">
          <legend>Connector configuration</legend>
          {connectorFields(f.type).map((c) => (
            <TextField
              key={`${f.type}-${c.key}`}
              label={c.label}
              type={c.secret ? 'password' : 'text'}
              autoComplete={c.secret ? 'new-password' : 'off'}
              value={f.props[c.key] ?? ''}
              onChange={setProp(c.key)}
              placeholder={c.secret && secrets.has(c.key) ? 'Stored: leave empty to keep it' : undefined}
              hint={c.secret && secrets.has(c.key) ? `A ${c.label.toLowerCase()} is stored.` : c.hint}
            />
          ))}
        </fieldset>
        <CheckboxField label="Enabled" checked={f.enabled} onChange={set('enabled')} />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy === 'save'}>
            {keyManagerId ? 'Save' : 'Add'}
          </Button>
          {keyManagerId ? (
            <Button
              busy={busy === 'test'}
              onClick={() =>
                void run('test', async () => {
                  setTested(null);
                  setTested(await testConnection(keyManagerId));
                })
              }
            >
              Test connection
            </Button>
          ) : null}
          <Link to="/admin/key-managers" className="btn btn-link">
            Cancel
          </Link>
        </div>
        {keyManagerId ? <p className="field-hint">Test connection checks the saved configuration.</p> : null}
      </form>
      {tested ? <ConnectionResult result={tested} /> : null}
    </>
  );
}
