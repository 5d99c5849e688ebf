import { useState, type FormEvent } from 'react';
import { rememberedCredentials } from '../lib/secrets';
import { RadioGroup, SelectField, TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { KeyTypeSelect } from './key-type-select';
import type { ApiDetail, KeyType } from './types';

interface Result {
  status: number;
  statusText: string;
  body: string;
  ms: number;
}

const pretty = (text: string) => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

/**
 * Calls the API on the gateway from the browser with an access token or API key (pasted, or one generated in this
 * page). Nothing is stored; the request goes straight to the gateway URL (allowed by the page's connect-src).
 */
export function TryItConsole({ api: a }: { api: ApiDetail }) {
  const schemes = [
    ...(a.securityScheme.includes('oauth2') ? [{ value: 'oauth2', label: 'OAuth2' }] : []),
    ...(a.securityScheme.includes('api_key') ? [{ value: 'apikey', label: 'API Key' }] : []),
  ];
  const urls = a.endpointURLs.flatMap((e) => [e.URLs.https, e.URLs.http]).filter((u): u is string => !!u);
  const [keyType, setKeyType] = useState<KeyType>('PRODUCTION');
  const [scheme, setScheme] = useState(schemes[0]?.value ?? 'oauth2');
  const [picked, setPicked] = useState('');
  const [credential, setCredential] = useState('');
  const [base, setBase] = useState(urls[0] ?? '');
  const [op, setOp] = useState(a.operations[0] ? `${a.operations[0].verb} ${a.operations[0].target}` : '');
  const [path, setPath] = useState(a.operations[0]?.target ?? '/');
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<{ credential?: string; path?: string }>({});
  const [result, setResult] = useState<Result | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const choices = rememberedCredentials().filter(
    (c) => c.keyType === keyType && c.kind === (scheme === 'apikey' ? 'apikey' : 'oauth2'),
  );
  const verb = op.split(' ')[0] ?? 'GET';
  const header = scheme === 'apikey' ? a.apiKeyHeader || 'apikey' : a.authorizationHeader || 'Authorization';

  const chooseOp = (v: string) => {
    setOp(v);
    setPath(v.slice(v.indexOf(' ') + 1));
  };

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const value = picked || credential.trim();
    const errs: typeof errors = {};
    if (!value)
      errs.credential = `Paste ${scheme === 'apikey' ? 'an API key' : 'an access token'} or pick one.`;
    if (!path.startsWith('/')) errs.path = "The resource path must start with '/'.";
    else if (/[{}]/.test(path)) errs.path = 'Replace the {parameters} in the path with values.';
    setErrors(errs);
    setFailure(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    const started = performance.now();
    try {
      const headers: Record<string, string> = {
        accept: 'application/json',
        [header]: scheme === 'apikey' ? value : `Bearer ${value}`,
      };
      const withBody = ['POST', 'PUT', 'PATCH'].includes(verb) && body.trim() !== '';
      if (withBody) headers['content-type'] = 'application/json';
      const res = await fetch(`${base}${path}`, {
        method: verb,
        headers,
        body: withBody ? body : undefined,
        credentials: 'omit',
        mode: 'cors',
      });
      const text = await res.text();
      setResult({
        status: res.status,
        statusText: res.statusText,
        body: pretty(text),
        ms: Math.round(performance.now() - started),
      });
    } catch {
      setResult(null);
      setFailure(
        `The gateway at ${base} could not be reached from the browser. Open ${base} once to accept its certificate, ` +
          'and check that the gateway allows cross-origin requests from this portal.',
      );
    } finally {
      setBusy(false);
    }
  };

  if (!schemes.length)
    return <p>This API does not use OAuth2 or API key security: the console cannot call it.</p>;
  return (
    <section aria-labelledby="try-title">
      <h2 id="try-title">Try out</h2>
      <form onSubmit={send} noValidate className="stack">
        <div className="grid-2">
          <KeyTypeSelect value={keyType} onChange={setKeyType} />
          <RadioGroup legend="Security" value={scheme} onChange={setScheme} options={schemes} />
        </div>
        {choices.length ? (
          <SelectField
            label={
              scheme === 'apikey'
                ? 'Pick an API key generated in this session'
                : 'Pick a token generated in this session'
            }
            value={picked}
            onChange={setPicked}
            placeholder="Paste one instead"
            options={choices.map((c, i) => ({
              value: c.value,
              label: `${c.label} (#${choices.length - i})`,
            }))}
          />
        ) : null}
        {!picked ? (
          <TextField
            label={scheme === 'apikey' ? 'API key' : 'Access token'}
            type="password"
            value={credential}
            onChange={setCredential}
            autoComplete="off"
            error={errors.credential}
            hint={`Sent in the ${header} header.`}
          />
        ) : null}
        <div className="grid-2">
          <SelectField
            label="Gateway URL"
            value={base}
            onChange={setBase}
            options={urls.map((u) => ({ value: u, label: u }))}
          />
          <SelectField
            label="Resource"
            value={op}
            onChange={chooseOp}
            options={a.operations.map((o) => ({
              value: `${o.verb} ${o.target}`,
              label: `${o.verb} ${o.target}`,
            }))}
          />
        </div>
        <TextField label="Request path" value={path} onChange={setPath} error={errors.path} />
        {['POST', 'PUT', 'PATCH'].includes(verb) ? (
          <TextField label="Request body (JSON)" multiline rows={5} value={body} onChange={setBody} />
        ) : null}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            Send
          </Button>
        </div>
      </form>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      {result ? (
        <div className="response" aria-live="polite">
          <h3>
            Response:{' '}
            <span className="mono">
              {result.status} {result.statusText}
            </span>{' '}
            <span className="meta">({result.ms} ms)</span>
          </h3>
          <pre className="code" tabIndex={0} aria-label="Response body">
            {result.body || '(empty body)'}
          </pre>
        </div>
      ) : null}
    </section>
  );
}
