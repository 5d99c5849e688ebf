import { useState, type ChangeEvent } from 'react';
import { api, errorText, PUB } from '../lib/api';
import { RadioGroup, TextField } from '../components/fields';
import { Button } from '../components/button';

/** Where the OpenAPI definition comes from: an uploaded file (YAML or JSON) or a URL the server fetches. */
export type OpenApiSource = { kind: 'file'; file: File } | { kind: 'url'; url: string };

/** What `POST /apis/validate-openapi` says about a valid definition (WSO2 `OpenAPIDefinitionValidationResponse`). */
export interface OpenApiInfo {
  name: string;
  version: string;
  context: string;
  openAPIVersion: string;
}

interface ValidationAnswer {
  isValid: boolean;
  info?: OpenApiInfo;
  errors?: { description: string }[];
}

const URL_RE = /^https?:\/\/[^\s/$.?#][^\s]*$/;

/** The multipart form WSO2's Publisher sends for a source (`file` or `url`). */
export function sourceForm(source: OpenApiSource): FormData {
  const form = new FormData();
  if (source.kind === 'file') form.append('file', source.file, source.file.name);
  else form.append('url', source.url);
  return form;
}

/**
 * The definition of an import: a YAML or JSON file, or a URL, checked with `POST /apis/validate-openapi` (multipart,
 * as WSO2's Publisher does) as soon as a file is chosen or the URL is checked. `onSource` gets the source once the
 * server found it valid (null while there is none); `onInfo` its name, version and context to prefill the form.
 */
export function OpenApiSourceField(p: {
  error?: string;
  onSource(source: OpenApiSource | null): void;
  onInfo(info: OpenApiInfo): void;
}) {
  const [kind, setKind] = useState<'file' | 'url'>('file');
  const [url, setUrl] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [valid, setValid] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const validate = async (source: OpenApiSource, what: string) => {
    p.onSource(null);
    setValid(null);
    setProblem(null);
    setBusy(true);
    try {
      const answer = await api<ValidationAnswer>('POST', `${PUB}/apis/validate-openapi`, sourceForm(source));
      if (!answer.isValid || !answer.info) {
        const reasons = (answer.errors ?? []).map((e) => e.description).join('; ');
        setProblem(`${what} is not a valid OpenAPI definition${reasons ? `: ${reasons}` : '.'}`);
        return;
      }
      setValid(
        `${what}: OpenAPI ${answer.info.openAPIVersion}, “${answer.info.name}” ${answer.info.version}.`,
      );
      p.onInfo(answer.info);
      p.onSource(source);
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const chooseFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) {
      p.onSource(null);
      setValid(null);
      return;
    }
    void validate({ kind: 'file', file }, file.name);
  };

  const checkUrl = () => {
    const u = url.trim();
    if (!URL_RE.test(u)) {
      p.onSource(null);
      setValid(null);
      setProblem('Enter an http:// or https:// URL.');
      return;
    }
    void validate({ kind: 'url', url: u }, u);
  };

  const error = problem ?? p.error;
  return (
    <>
      <RadioGroup
        legend="Definition source"
        value={kind}
        onChange={(v) => {
          setKind(v === 'url' ? 'url' : 'file');
          setProblem(null);
          setValid(null);
          p.onSource(null);
        }}
        options={[
          { value: 'file', label: 'Upload a file (YAML or JSON)' },
          { value: 'url', label: 'From a URL' },
        ]}
      />
      {kind === 'file' ? (
        <div className="field">
          <label htmlFor="openapi-file">OpenAPI file (YAML or JSON)</label>
          <input
            id="openapi-file"
            type="file"
            accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml"
            onChange={chooseFile}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'openapi-source-error' : valid ? 'openapi-source-ok' : undefined}
          />
        </div>
      ) : (
        <div>
          <TextField
            label="OpenAPI URL"
            type="url"
            value={url}
            onChange={(v) => {
              setUrl(v);
              p.onSource(null);
              setValid(null);
            }}
            placeholder="https://petstore3.swagger.io/api/v3/openapi.json"
            hint="Portico's server fetches it; your administrator decides which hosts it may reach."
          />
          <Button onClick={checkUrl} busy={busy}>
            Check URL
          </Button>
        </div>
      )}
      <div className="field">
        {busy && kind === 'file' ? <p className="field-hint">Checking the definition…</p> : null}
        {valid && !error ? (
          <p className="field-hint" id="openapi-source-ok" role="status">
            {valid}
          </p>
        ) : null}
        {error ? (
          <p className="field-error" id="openapi-source-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </>
  );
}
