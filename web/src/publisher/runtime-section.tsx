import { useState } from 'react';
import { api, errorText, PUB } from '../lib/api';
import { navigate } from '../lib/router';
import { CheckboxField, TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { DEFAULT_DEPLOYMENT, type PubApi, type Revision } from './types';

const HEADER_RE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

/** Saves the API, then freezes it as a new revision and deploys that to the Default gateway. */
export async function saveAndDeploy(
  apiId: string,
  changes: Partial<PubApi>,
  description: string,
): Promise<Revision> {
  await api('PUT', `${PUB}/apis/${apiId}`, changes);
  const rev = await api<Revision>('POST', `${PUB}/apis/${apiId}/revisions`, { description });
  await api(
    'POST',
    `${PUB}/apis/${apiId}/deploy-revision?revisionId=${encodeURIComponent(rev.id)}`,
    DEFAULT_DEPLOYMENT,
  );
  return rev;
}

/** Develop → API Configurations → Runtime: Application Level Security (OAuth2, API Key) and their headers. */
export function RuntimeSection({ api: a, onSaved }: { api: PubApi; onSaved(): void }) {
  const [oauth2, setOauth2] = useState(a.securityScheme.includes('oauth2'));
  const [apiKey, setApiKey] = useState(a.securityScheme.includes('api_key'));
  const [apiKeyHeader, setApiKeyHeader] = useState(a.apiKeyHeader || 'apikey');
  const [authHeader, setAuthHeader] = useState(a.authorizationHeader || 'Authorization');
  const [errors, setErrors] = useState<{ schemes?: string; apiKeyHeader?: string; authHeader?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'deploy' | null>(null);

  const changes = (): Partial<PubApi> | null => {
    const errs: typeof errors = {};
    const others = a.securityScheme.filter((s) => s !== 'oauth2' && s !== 'api_key');
    const schemes = [...(oauth2 ? ['oauth2'] : []), ...(apiKey ? ['api_key'] : []), ...others];
    if (!schemes.some((s) => s === 'oauth2' || s === 'api_key' || s === 'basic_auth'))
      errs.schemes = 'Select OAuth2, API Key or both.';
    if (!HEADER_RE.test(apiKeyHeader.trim())) errs.apiKeyHeader = 'Enter an HTTP header name, e.g. apikey.';
    if (!HEADER_RE.test(authHeader.trim()))
      errs.authHeader = 'Enter an HTTP header name, e.g. Authorization.';
    setErrors(errs);
    setFailure(null);
    setDone(null);
    if (Object.keys(errs).length) return null;
    return {
      ...a,
      securityScheme: schemes,
      apiKeyHeader: apiKeyHeader.trim(),
      authorizationHeader: authHeader.trim(),
    };
  };

  const save = async (deploy: boolean) => {
    const body = changes();
    if (!body) return;
    setBusy(deploy ? 'deploy' : 'save');
    try {
      if (deploy) {
        const rev = await saveAndDeploy(a.id, body, 'Runtime configuration change');
        onSaved();
        navigate(`/publisher/apis/${a.id}/deployments?deployed=${encodeURIComponent(rev.displayName)}`);
        return;
      }
      await api('PUT', `${PUB}/apis/${a.id}`, body);
      setDone('Saved. Deploy a new revision for the gateway to use it.');
      onSaved();
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="runtime-title" className="stack">
      <h1 id="runtime-title">Runtime Configurations</h1>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      {done ? <Alert kind="success">{done}</Alert> : null}
      <fieldset className="group card" aria-describedby={errors.schemes ? 'schemes-error' : undefined}>
        <legend>Application Level Security</legend>
        <p className="field-hint">
          How client applications authenticate when they call this API on the gateway.
        </p>
        <CheckboxField label="OAuth2" checked={oauth2} onChange={setOauth2} />
        <CheckboxField label="API Key" checked={apiKey} onChange={setApiKey} />
        {errors.schemes ? (
          <p className="field-error" id="schemes-error">
            {errors.schemes}
          </p>
        ) : null}
        <div className="grid-2">
          <TextField
            label="APIKey Header"
            value={apiKeyHeader}
            onChange={setApiKeyHeader}
            error={errors.apiKeyHeader}
            hint="The request header (or query parameter) that carries the API key."
          />
          <TextField
            label="Authorization Header"
            value={authHeader}
            onChange={setAuthHeader}
            error={errors.authHeader}
            hint="The request header that carries the OAuth2 access token."
          />
        </div>
      </fieldset>
      <div className="form-actions">
        <Button onClick={() => void save(false)} busy={busy === 'save'} disabled={busy !== null}>
          Save
        </Button>
        <Button
          variant="primary"
          onClick={() => void save(true)}
          busy={busy === 'deploy'}
          disabled={busy !== null}
        >
          Save and Deploy
        </Button>
      </div>
    </section>
  );
}
