import { useState } from 'react';
import { ADM, api, errorText, PUB, type List } from '../lib/api';
import { navigate } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { SelectField, TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { saveAndDeploy } from './runtime-section';
import type { PubApi, PubOperation } from './types';

const VERBS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const AUTH_TYPES = ['Application & Application User', 'Application', 'Application User', 'None'];
const TARGET_RE = /^\/[^\s?#]*$/;

type Row = PubOperation & { key: number; scopesText: string };
let nextKey = 1;
const toRow = (o: PubOperation): Row => ({ ...o, key: nextKey++, scopesText: o.scopes.join(' ') });

/** Develop → API Configurations → Resources: the operations with verb, target, auth type, scopes, policy. */
export function ResourcesSection({ api: a, onSaved }: { api: PubApi; onSaved(): void }) {
  const policies = useLoad(
    () => api<List<{ policyName: string }>>('GET', `${ADM}/throttling/policies/advanced`).catch(() => null),
    'advanced',
  );
  const [rows, setRows] = useState<Row[]>(() => a.operations.map(toRow));
  const [verb, setVerb] = useState('GET');
  const [target, setTarget] = useState('');
  const [addError, setAddError] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'deploy' | null>(null);
  const policyNames = policies.data?.list.map((p) => p.policyName) ?? null;

  const update = (key: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const add = () => {
    const t = target.trim();
    if (!TARGET_RE.test(t))
      return setAddError("The resource path must start with '/' and have no spaces, ? or #.");
    if (rows.some((r) => r.verb === verb && r.target === t))
      return setAddError(`${verb} ${t} already exists.`);
    setAddError(null);
    setRows((rs) => [
      ...rs,
      toRow({ verb, target: t, authType: AUTH_TYPES[0]!, throttlingPolicy: 'Unlimited', scopes: [] }),
    ]);
    setTarget('');
  };

  const save = async (deploy: boolean) => {
    const problems: string[] = [];
    if (!rows.length) problems.push('Add at least one resource.');
    for (const r of rows)
      if (!TARGET_RE.test(r.target)) problems.push(`${r.verb} ${r.target}: the path must start with '/'.`);
    setErrors(problems);
    setFailure(null);
    setDone(null);
    if (problems.length) return;
    const operations = rows.map(({ key: _k, scopesText, ...o }) => ({
      ...o,
      scopes: scopesText.split(/[\s,]+/).filter(Boolean),
    }));
    setBusy(deploy ? 'deploy' : 'save');
    try {
      if (deploy) {
        const rev = await saveAndDeploy(a.id, { ...a, operations }, 'Resources change');
        onSaved();
        navigate(`/publisher/apis/${a.id}/deployments?deployed=${encodeURIComponent(rev.displayName)}`);
        return;
      }
      await api('PUT', `${PUB}/apis/${a.id}`, { ...a, operations });
      setDone('Saved. Deploy a new revision for the gateway to use it.');
      onSaved();
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="resources-title" className="stack">
      <h1 id="resources-title">Resources</h1>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      {errors.length ? <Alert kind="error">{errors.join(' ')}</Alert> : null}
      {done ? <Alert kind="success">{done}</Alert> : null}
      <div className="card add-resource">
        <h2>Add a resource</h2>
        <div className="grid-3">
          <SelectField
            label="HTTP verb"
            value={verb}
            onChange={setVerb}
            options={VERBS.map((v) => ({ value: v, label: v }))}
          />
          <TextField
            label="URI pattern"
            value={target}
            onChange={setTarget}
            placeholder="/order/{orderId}"
            error={addError}
          />
          <div className="field align-end">
            <Button onClick={add}>Add resource</Button>
          </div>
        </div>
      </div>
      <ul className="operations">
        {rows.map((r) => (
          <li key={r.key} className="card operation">
            <h2 className="op-title">
              <span className={`verb verb-${r.verb.toLowerCase()}`}>{r.verb}</span>{' '}
              <span className="mono">{r.target}</span>
            </h2>
            <div className="grid-3">
              <SelectField
                label={`Auth type for ${r.verb} ${r.target}`}
                value={r.authType}
                onChange={(v) => update(r.key, { authType: v })}
                options={AUTH_TYPES.map((x) => ({ value: x, label: x }))}
              />
              {policyNames ? (
                <SelectField
                  label={`Throttling policy for ${r.verb} ${r.target}`}
                  value={r.throttlingPolicy}
                  onChange={(v) => update(r.key, { throttlingPolicy: v })}
                  options={[...new Set([r.throttlingPolicy, ...policyNames])].map((x) => ({
                    value: x,
                    label: x,
                  }))}
                />
              ) : (
                <TextField
                  label={`Throttling policy for ${r.verb} ${r.target}`}
                  value={r.throttlingPolicy}
                  onChange={(v) => update(r.key, { throttlingPolicy: v })}
                />
              )}
              <TextField
                label={`Scopes for ${r.verb} ${r.target}`}
                value={r.scopesText}
                onChange={(v) => update(r.key, { scopesText: v })}
                hint={
                  a.scopes.length
                    ? `API scopes: ${a.scopes.map((s) => s.scope.name).join(', ')}`
                    : 'This API declares no scopes.'
                }
              />
            </div>
            <Button
              variant="link"
              className="danger-text"
              onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
              aria-label={`Remove ${r.verb} ${r.target}`}
            >
              Remove
            </Button>
          </li>
        ))}
      </ul>
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
