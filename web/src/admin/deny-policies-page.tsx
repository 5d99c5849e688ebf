import { useState, type FormEvent } from 'react';
import { ADM, api, errorText, type List } from '../lib/api';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { CheckboxField, SelectField, TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { PageHeader } from '../components/page-header';
import { ResourceTable } from '../components/resource-table';

/** WSO2 `BlockingCondition` as the admin REST API returns it. */
interface DenyPolicy {
  conditionId: string;
  conditionType: string;
  conditionValue: string | { fixedIp?: string; startingIp?: string; endingIp?: string; invert?: boolean };
  conditionStatus: boolean;
}

const TYPES = [
  { value: 'API', label: 'API context', hint: 'The context with its version, e.g. /pizzashack/1.0.0' },
  { value: 'APPLICATION', label: 'Application', hint: 'owner:applicationName, e.g. alice:PizzaApp' },
  { value: 'IP', label: 'IP address', hint: 'An IPv4 or IPv6 address' },
  { value: 'IPRANGE', label: 'IP range', hint: 'The first and last address of the range, inclusive' },
  { value: 'USER', label: 'User', hint: 'The username, e.g. mallory' },
] as const;
const BASE = `${ADM}/throttling/deny-policies`;
const ONE = `${ADM}/throttling/deny-policy`;

/** How a condition's value reads in the list. */
function valueText(p: DenyPolicy): string {
  const v = p.conditionValue;
  if (typeof v === 'string') return v;
  const what = v.fixedIp ?? `${v.startingIp ?? ''} – ${v.endingIp ?? ''}`;
  return v.invert ? `every address except ${what}` : what;
}

/** Admin deny policies (blocking conditions): list, add, enable/disable, delete. */
export function DenyPoliciesPage() {
  const list = useLoad(() => api<List<DenyPolicy>>('GET', BASE), 'deny-policies');
  const action = useAction(list.reload);
  const [added, setAdded] = useState<string | null>(null);
  return (
    <>
      <PageHeader title="Deny Policies" />
      <p>Requests that match an enabled deny policy are refused at every gateway with 403 (900805).</p>
      {added ? <Alert kind="success">{added}</Alert> : null}
      <AddDenyPolicy
        onAdded={(what) => {
          setAdded(`Deny policy on ${what} added.`);
          list.reload();
        }}
      />
      <h2>Deny policies</h2>
      <ResourceTable
        list={list}
        label="Deny policies"
        loading="Loading deny policies"
        empty="No deny policies."
        rowKey={(p) => p.conditionId}
        columns={[
          {
            header: 'Type',
            cell: (p) => TYPES.find((t) => t.value === p.conditionType)?.label ?? p.conditionType,
          },
          { header: 'Value', cell: valueText },
          { header: 'Status', cell: (p) => (p.conditionStatus ? 'Enabled' : 'Disabled') },
        ]}
        action={action}
        rowActions={(p) => [
          {
            label: p.conditionStatus ? 'Disable' : 'Enable',
            ariaLabel: `${p.conditionStatus ? 'Disable' : 'Enable'} the deny policy on ${valueText(p)}`,
            run: async () => {
              await api('PATCH', `${ONE}/${p.conditionId}`, { conditionStatus: !p.conditionStatus });
              return `Deny policy on ${valueText(p)} ${p.conditionStatus ? 'disabled' : 'enabled'}.`;
            },
          },
          {
            label: 'Delete',
            ariaLabel: `Delete the deny policy on ${valueText(p)}`,
            danger: true,
            confirm: `Delete the deny policy on ${valueText(p)}?`,
            run: async () => {
              await api<void>('DELETE', `${ONE}/${p.conditionId}`);
              return `Deny policy on ${valueText(p)} deleted.`;
            },
          },
        ]}
      />
    </>
  );
}

function AddDenyPolicy({ onAdded }: { onAdded(what: string): void }) {
  const [type, setType] = useState<string>('APPLICATION');
  const [value, setValue] = useState('');
  const [endingIp, setEndingIp] = useState('');
  const [invert, setInvert] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const isIp = type === 'IP' || type === 'IPRANGE';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const v = value.trim();
    setError(v ? null : 'Enter a value.');
    if (!v || (type === 'IPRANGE' && !endingIp.trim())) return;
    const conditionValue =
      type === 'IP'
        ? { fixedIp: v, invert }
        : type === 'IPRANGE'
          ? { startingIp: v, endingIp: endingIp.trim(), invert }
          : v;
    setBusy(true);
    try {
      await api('POST', BASE, { conditionType: type, conditionValue, conditionStatus: true });
      onAdded(type === 'IPRANGE' ? `${v} – ${endingIp.trim()}` : v);
      setValue('');
      setEndingIp('');
      setInvert(false);
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const hint = TYPES.find((t) => t.value === type)?.hint;
  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="add-deny-title">
      <h2 id="add-deny-title">Add a deny policy</h2>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      <div className="grid-3">
        <SelectField label="Condition type" value={type} onChange={setType} options={TYPES} required />
        <TextField
          label={type === 'IPRANGE' ? 'Starting IP' : 'Value'}
          value={value}
          onChange={setValue}
          hint={hint}
          error={error}
          autoComplete="off"
          required
        />
        {type === 'IPRANGE' ? (
          <TextField label="Ending IP" value={endingIp} onChange={setEndingIp} autoComplete="off" required />
        ) : null}
      </div>
      {isIp ? (
        <CheckboxField
          label="Invert: block every address except this one"
          checked={invert}
          onChange={setInvert}
        />
      ) : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          Add deny policy
        </Button>
      </div>
    </form>
  );
}
