import { useEffect, useState, type FormEvent } from 'react';
import { api, DP, errorText, type List } from '../lib/api';
import { Link, navigate } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { SelectField, TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Loading } from '../components/loading';
import { PageHeader } from '../components/page-header';
import type { Application, Policy } from './types';

/** Create (no `applicationId`) or edit an application: name, application throttling policy, description. */
export function ApplicationFormPage({ applicationId }: { applicationId?: string }) {
  const policies = useLoad(
    () => api<List<Policy>>('GET', `${DP}/throttling-policies/application?limit=100`),
    'app-policies',
  );
  const existing = useLoad(
    () =>
      applicationId
        ? api<Application>('GET', `${DP}/applications/${encodeURIComponent(applicationId)}`)
        : Promise.resolve(null),
    applicationId ?? 'new',
  );
  const [name, setName] = useState('');
  const [policy, setPolicy] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<{ name?: string; policy?: string; description?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const a = existing.data;
    if (a) {
      setName(a.name);
      setPolicy(a.throttlingPolicy);
      setDescription(a.description ?? '');
    }
  }, [existing.data]);
  useEffect(() => {
    const list = policies.data?.list;
    if (!applicationId && list?.length && !policy) {
      setPolicy(list.find((p) => p.name === 'Unlimited')?.name ?? list[0]!.name);
    }
  }, [policies.data, applicationId, policy]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof errors = {};
    if (!name.trim()) errs.name = 'Enter a name for the application.';
    else if (name.trim().length > 100) errs.name = 'The name must be at most 100 characters.';
    if (!policy) errs.policy = 'Select a throttling policy.';
    if (description.length > 512) errs.description = 'The description must be at most 512 characters.';
    setErrors(errs);
    setFailure(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    const body = { name: name.trim(), throttlingPolicy: policy, description, tokenType: 'JWT' };
    try {
      const saved = applicationId
        ? await api<Application>('PUT', `${DP}/applications/${encodeURIComponent(applicationId)}`, body)
        : await api<Application>('POST', `${DP}/applications`, body);
      navigate(`/devportal/applications/${saved.applicationId}`);
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (existing.error) return <Alert kind="error">{existing.error}</Alert>;
  if (policies.loading || existing.loading) return <Loading what="Loading" />;
  const title = applicationId ? `Edit ${existing.data?.name ?? 'application'}` : 'Create an application';
  return (
    <>
      <p className="crumbs">
        <Link to="/devportal/applications">Applications</Link> / {applicationId ? 'Edit' : 'Create'}
      </p>
      <PageHeader title={title} />
      <form className="card form" onSubmit={submit} noValidate aria-label={title}>
        {failure ? <Alert kind="error">{failure}</Alert> : null}
        {policies.error ? <Alert kind="error">{policies.error}</Alert> : null}
        <TextField label="Application name" value={name} onChange={setName} error={errors.name} required />
        <SelectField
          label="Throttling policy"
          value={policy}
          onChange={setPolicy}
          placeholder="Select a policy"
          options={(policies.data?.list ?? []).map((p) => ({
            value: p.name,
            label: p.description
              ? `${p.displayName ?? p.name} — ${p.description}`
              : (p.displayName ?? p.name),
          }))}
          error={errors.policy}
          hint="Limits the requests all the application's tokens can make together."
          required
        />
        <TextField
          label="Application description"
          multiline
          value={description}
          onChange={setDescription}
          error={errors.description}
        />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            {applicationId ? 'Save' : 'Create'}
          </Button>
          <Link to="/devportal/applications" className="btn btn-link">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
