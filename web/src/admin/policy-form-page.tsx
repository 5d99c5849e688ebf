import { useEffect, useState, type FormEvent } from 'react';
import { ADM, api, errorText } from '../lib/api';
import { Link, navigate } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { CheckboxField, SelectField, TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Loading } from '../components/loading';
import { PageHeader } from '../components/page-header';
import { LEVELS, type AdminPolicy } from './policies-page';
import { BurstControlFields, burstBody, burstOf, hasBurstControl } from './policy-burst';

const UNITS = ['sec', 'min', 'hour', 'day'].map((u) => ({ value: u, label: u }));
const NAME_RE = /^[A-Za-z0-9._-]{1,60}$/;
const INT_RE = /^\d{1,10}$/;
const BURST_RE = /^\d{0,10}$/;

/** Create or edit a throttling policy (request-count limits). */
export function PolicyFormPage({ level, policyId }: { level: string; policyId?: string }) {
  const existing = useLoad(
    () =>
      policyId
        ? api<AdminPolicy>('GET', `${ADM}/throttling/policies/${level}/${policyId}`)
        : Promise.resolve(null),
    `${level}/${policyId ?? 'new'}`,
  );
  const [f, setF] = useState({
    name: '',
    displayName: '',
    description: '',
    requestCount: '1000',
    unitTime: '1',
    timeUnit: 'min',
    stopOnQuotaReach: true,
    billingPlan: 'FREE',
    rateLimitCount: '0',
    rateLimitTimeUnit: 'sec',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof f) => (v: string | boolean) => setF((x) => ({ ...x, [k]: v }));

  useEffect(() => {
    const p = existing.data;
    if (!p) return;
    const rc = p.defaultLimit.requestCount;
    const burst = burstOf(level, p);
    setF((x) => ({
      ...x,
      name: p.policyName,
      displayName: p.displayName ?? '',
      description: p.description ?? '',
      requestCount: String(rc?.requestCount ?? ''),
      unitTime: String(rc?.unitTime ?? 1),
      timeUnit: rc?.timeUnit ?? 'min',
      stopOnQuotaReach: p.stopOnQuotaReach ?? true,
      billingPlan: p.billingPlan ?? 'FREE',
      rateLimitCount: String(burst.count),
      rateLimitTimeUnit: burst.unit ?? 'sec',
    }));
  }, [existing.data, level]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!NAME_RE.test(f.name.trim())) errs.name = 'Use 1-60 letters, digits, . _ -';
    if (!INT_RE.test(f.requestCount) || Number(f.requestCount) < 1)
      errs.requestCount = 'Enter a whole number of at least 1.';
    if (!INT_RE.test(f.unitTime) || Number(f.unitTime) < 1)
      errs.unitTime = 'Enter a whole number of at least 1.';
    const burstCount = f.rateLimitCount.trim();
    if (hasBurstControl(level) && !BURST_RE.test(burstCount))
      errs.rateLimitCount = 'Enter a whole number (0 or empty: no burst control).';
    setErrors(errs);
    setFailure(null);
    if (Object.keys(errs).length) return;
    const body: Record<string, unknown> = {
      policyName: f.name.trim(),
      displayName: f.displayName.trim() || f.name.trim(),
      description: f.description,
      defaultLimit: {
        type: 'REQUESTCOUNTLIMIT',
        requestCount: {
          timeUnit: f.timeUnit,
          unitTime: Number(f.unitTime),
          requestCount: Number(f.requestCount),
        },
      },
    };
    if (hasBurstControl(level))
      Object.assign(body, burstBody(level, Number(burstCount), f.rateLimitTimeUnit));
    if (level === 'subscription')
      Object.assign(body, { stopOnQuotaReach: f.stopOnQuotaReach, billingPlan: f.billingPlan });
    setBusy(true);
    try {
      if (policyId) await api('PUT', `${ADM}/throttling/policies/${level}/${policyId}`, body);
      else await api('POST', `${ADM}/throttling/policies/${level}`, body);
      navigate(`/admin/policies/${level}`);
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const levelLabel = LEVELS.find((l) => l.id === level)?.label ?? level;
  if (existing.error) return <Alert kind="error">{existing.error}</Alert>;
  if (existing.loading) return <Loading what="Loading the policy" />;
  const what = levelLabel.replace(/ies$/, 'y').toLowerCase();
  const title = policyId ? `Edit ${f.name}` : `Add ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what}`;
  return (
    <>
      <p className="crumbs">
        <Link to={`/admin/policies/${level}`}>{levelLabel}</Link> / {policyId ? 'Edit' : 'Add'}
      </p>
      <PageHeader title={title} />
      <form className="card form" onSubmit={submit} noValidate aria-label={title}>
        {failure ? <Alert kind="error">{failure}</Alert> : null}
        <TextField
          label="Name"
          value={f.name}
          onChange={set('name')}
          error={errors.name}
          readOnly={!!policyId}
          required
        />
        <TextField label="Display name" value={f.displayName} onChange={set('displayName')} />
        <TextField
          label="Description"
          multiline
          rows={2}
          value={f.description}
          onChange={set('description')}
        />
        <fieldset className="group">
          <legend>Request count quota</legend>
          <div className="grid-3">
            <TextField
              label="Request count"
              inputMode="numeric"
              value={f.requestCount}
              onChange={set('requestCount')}
              error={errors.requestCount}
              required
            />
            <TextField
              label="Unit time"
              inputMode="numeric"
              value={f.unitTime}
              onChange={set('unitTime')}
              error={errors.unitTime}
              required
            />
            <SelectField label="Time unit" value={f.timeUnit} onChange={set('timeUnit')} options={UNITS} />
          </div>
        </fieldset>
        {hasBurstControl(level) ? (
          <BurstControlFields
            count={f.rateLimitCount}
            unit={f.rateLimitTimeUnit}
            onCount={set('rateLimitCount')}
            onUnit={set('rateLimitTimeUnit')}
            error={errors.rateLimitCount}
          />
        ) : null}
        {level === 'subscription' ? (
          <>
            <CheckboxField
              label="Stop on quota reach"
              checked={f.stopOnQuotaReach}
              onChange={set('stopOnQuotaReach')}
            />
            <SelectField
              label="Billing plan"
              value={f.billingPlan}
              onChange={set('billingPlan')}
              options={[
                { value: 'FREE', label: 'Free' },
                { value: 'COMMERCIAL', label: 'Commercial' },
              ]}
            />
          </>
        ) : null}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            {policyId ? 'Save' : 'Add'}
          </Button>
          <Link to={`/admin/policies/${level}`} className="btn btn-link">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
