import { useState, type FormEvent } from 'react';
import { api, errorText, PUB } from '../lib/api';
import { Link, navigate } from '../lib/router';
import { TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { PageHeader } from '../components/page-header';
import { OpenApiSourceField, sourceForm, type OpenApiInfo, type OpenApiSource } from './openapi-source-field';
import type { PubApi } from './types';

const NAME_RE = /^[^~!@#;:%^*()+={}|\\<>"',&$[\]/]{1,60}$/;
const VERSION_RE = /^[^~!@#;:%^*()+={}|\\<>"',&$[\]/\s]{1,30}$/;
const CONTEXT_RE = /^(\/[A-Za-z0-9_.~-]+)+$/;
const URL_RE = /^https?:\/\/[^\s/$.?#][^\s]*$/;

const DEFAULT_OPERATIONS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((verb) => ({
  target: '/*',
  verb,
  authType: 'Application & Application User',
  throttlingPolicy: 'Unlimited',
  scopes: [],
}));

interface Errors {
  name?: string;
  context?: string;
  version?: string;
  endpoint?: string;
  file?: string;
}

/** WSO2's multipart import: the definition (`file` or `url`) and `additionalProperties` as a JSON string. */
function importForm(source: OpenApiSource, fields: Record<string, unknown>): FormData {
  const form = sourceForm(source);
  form.append('additionalProperties', JSON.stringify(fields));
  return form;
}

/**
 * Create an API from scratch (`mode="create"`) or from an OpenAPI definition, YAML or JSON, uploaded or at a URL
 * (`mode="import"`, the multipart `POST /apis/import-openapi` as WSO2's Publisher sends it).
 */
export function CreateApiPage({ mode }: { mode: 'create' | 'import' }) {
  const [name, setName] = useState('');
  const [context, setContext] = useState('');
  const [version, setVersion] = useState('1.0.0');
  const [endpoint, setEndpoint] = useState('');
  const [source, setSource] = useState<OpenApiSource | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** Prefills what the user left empty from the validated definition (WSO2's Publisher does the same). */
  const prefill = (info: OpenApiInfo) => {
    setErrors((x) => ({ ...x, file: undefined }));
    setName((v) => v || info.name.replace(/[^A-Za-z0-9 _.-]/g, ''));
    setContext((v) => v || info.context);
    if (info.version) setVersion(info.version);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Errors = {};
    const ctx = context.trim().replace(/\/+$/, '');
    if (mode === 'import' && !source) errs.file = 'Choose a valid OpenAPI file, or a URL and check it.';
    if (!name.trim()) errs.name = 'Enter the API name.';
    else if (!NAME_RE.test(name.trim()))
      errs.name = 'Up to 60 characters, without ~!@#;:%^*()+={}|\\<>"\',&$[]/';
    if (!ctx && mode === 'create') errs.context = 'Enter the context, e.g. /pizzashack.';
    else if (ctx && !CONTEXT_RE.test(ctx))
      errs.context = "Start with '/', use letters, digits, _ . ~ - only.";
    if (!version.trim()) errs.version = 'Enter the version, e.g. 1.0.0.';
    else if (!VERSION_RE.test(version.trim())) errs.version = 'No spaces or special characters.';
    if (endpoint.trim() && !URL_RE.test(endpoint.trim())) errs.endpoint = 'Enter an http:// or https:// URL.';
    else if (!endpoint.trim() && mode === 'create') errs.endpoint = 'Enter the backend endpoint URL.';
    setErrors(errs);
    setFailure(null);
    if (Object.keys(errs).length) return;
    const fields: Record<string, unknown> = { name: name.trim(), version: version.trim() };
    if (ctx) fields.context = ctx;
    if (endpoint.trim()) {
      const url = { url: endpoint.trim() };
      fields.endpointConfig = { endpoint_type: 'http', production_endpoints: url, sandbox_endpoints: url };
    }
    setBusy(true);
    try {
      const created =
        mode === 'create'
          ? await api<PubApi>('POST', `${PUB}/apis`, {
              ...fields,
              operations: DEFAULT_OPERATIONS,
              policies: ['Unlimited'],
            })
          : await api<PubApi>('POST', `${PUB}/apis/import-openapi`, importForm(source!, fields));
      navigate(`/publisher/apis/${created.id}/overview`);
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const title = mode === 'create' ? 'Create an API' : 'Create an API from an OpenAPI definition';
  return (
    <>
      <p className="crumbs">
        <Link to="/publisher/apis">APIs</Link> / {mode === 'create' ? 'Create' : 'Import'}
      </p>
      <PageHeader title={title} />
      <form className="card form" onSubmit={submit} noValidate aria-label={title}>
        {failure ? <Alert kind="error">{failure}</Alert> : null}
        {mode === 'import' ? (
          <OpenApiSourceField error={errors.file} onSource={setSource} onInfo={prefill} />
        ) : null}
        <TextField label="Name" value={name} onChange={setName} error={errors.name} required />
        <TextField
          label="Context"
          value={context}
          onChange={setContext}
          error={errors.context}
          placeholder="/pizzashack"
          hint={
            mode === 'import'
              ? 'Optional: taken from the definition when empty.'
              : 'The version is added after it.'
          }
          required={mode === 'create'}
        />
        <TextField label="Version" value={version} onChange={setVersion} error={errors.version} required />
        <TextField
          label="Endpoint"
          type="url"
          value={endpoint}
          onChange={setEndpoint}
          error={errors.endpoint}
          placeholder="https://backend.example.com/api"
          hint={
            mode === 'import'
              ? 'Optional: taken from the definition’s servers when empty.'
              : 'Production and sandbox backend URL.'
          }
          required={mode === 'create'}
        />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            Create
          </Button>
          <Link to="/publisher/apis" className="btn btn-link">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
