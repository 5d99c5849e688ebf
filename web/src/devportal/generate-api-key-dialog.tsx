import { useState, type FormEvent } from 'react';
import { api, errorText } from '../lib/api';
import { CheckboxField, RadioGroup, TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { CopyField } from '../components/copy-field';
import { Dialog } from '../components/dialog';
import { useIssuedApiKey, type NewApiKeyResponse } from './use-issued-api-key';
import { ipProblem, ListInput, refererProblem } from './list-input';
import { KEY_TYPE_LABELS, type KeyType } from './types';

type Restriction = 'none' | 'ip' | 'referer';

/**
 * The GENERATE KEY dialog: validity, IP or HTTP referrer restrictions; the key is shown once. `endpoint` is the
 * `generate` operation (an application's key type, or an API's API-bound keys, which also get `keyType` in the
 * body); `owner` names what the key is for in the remembered-credentials list.
 */
export function GenerateApiKeyDialog(p: {
  open: boolean;
  owner: string;
  endpoint: string;
  keyType: KeyType;
  /** Sends `keyType` in the body (`APIAPIKeyGenerateRequest`), for endpoints without it in the path. */
  keyTypeInBody?: boolean;
  onClose(): void;
  onGenerated(): void;
}) {
  const [name, setName] = useState('');
  const [infinite, setInfinite] = useState(true);
  const [validity, setValidity] = useState('3600');
  const [restriction, setRestriction] = useState<Restriction>('none');
  const [ips, setIps] = useState<string[]>([]);
  const [ipPending, setIpPending] = useState('');
  const [referers, setReferers] = useState<string[]>([]);
  const [refPending, setRefPending] = useState('');
  const [errors, setErrors] = useState<{ validity?: string; ip?: string; referer?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const { key, issued, clear } = useIssuedApiKey(p.owner, p.onGenerated);
  const [busy, setBusy] = useState(false);

  const close = () => {
    clear();
    setFailure(null);
    setErrors({});
    setName('');
    setIps([]);
    setReferers([]);
    setIpPending('');
    setRefPending('');
    setRestriction('none');
    setInfinite(true);
    p.onClose();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof errors = {};
    if (
      !infinite &&
      (!/^\d{1,10}$/.test(validity.trim()) || Number(validity) < 1 || Number(validity) > 2147483647)
    )
      errs.validity = 'Enter the validity period as a whole number of seconds (at least 1).';
    // A typed but not yet added entry counts, so "type and Generate" does what the user expects.
    const ipList =
      ipPending.trim() && !ipProblem(ipPending.trim()) ? [...new Set([...ips, ipPending.trim()])] : ips;
    const refList =
      refPending.trim() && !refererProblem(refPending.trim())
        ? [...new Set([...referers, refPending.trim()])]
        : referers;
    if (restriction === 'ip' && ipPending.trim() && ipProblem(ipPending.trim()))
      errs.ip = ipProblem(ipPending.trim())!;
    else if (restriction === 'ip' && !ipList.length) errs.ip = 'Add at least one IP address.';
    if (restriction === 'referer' && refPending.trim() && refererProblem(refPending.trim()))
      errs.referer = refererProblem(refPending.trim())!;
    else if (restriction === 'referer' && !refList.length) errs.referer = 'Add at least one HTTP referrer.';
    setErrors(errs);
    setFailure(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    const additionalProperties: Record<string, string> = {};
    if (restriction === 'ip') additionalProperties.permittedIP = ipList.join(',');
    if (restriction === 'referer') additionalProperties.permittedReferer = refList.join(',');
    try {
      const r = await api<NewApiKeyResponse>('POST', p.endpoint, {
        ...(p.keyTypeInBody ? { keyType: p.keyType } : {}),
        validityPeriod: infinite ? -1 : Number(validity),
        ...(name.trim() ? { keyName: name.trim() } : {}),
        additionalProperties,
      });
      issued(r, p.keyType);
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={p.open} onClose={close} title="Generate API Key" wide>
      {key ? (
        <div className="stack">
          <Alert kind="warning">Copy the API key now. It is not stored and cannot be shown again.</Alert>
          <CopyField label="API Key" value={key} />
          <div className="form-actions">
            <Button variant="primary" onClick={close}>
              Done
            </Button>
          </div>
        </div>
      ) : (
        <form className="stack" onSubmit={submit} noValidate>
          <p className="meta">Key type: {KEY_TYPE_LABELS[p.keyType]}</p>
          {failure ? <Alert kind="error">{failure}</Alert> : null}
          <TextField
            label="Key name"
            value={name}
            onChange={setName}
            hint="Optional. Helps you find the key in the list."
          />
          <CheckboxField
            label="API Key with infinite validity period"
            checked={infinite}
            onChange={setInfinite}
          />
          {!infinite ? (
            <TextField
              label="API Key validity period (seconds)"
              inputMode="numeric"
              value={validity}
              onChange={setValidity}
              error={errors.validity}
              required
            />
          ) : null}
          <RadioGroup
            legend="Key restrictions"
            value={restriction}
            onChange={(v) => setRestriction(v as Restriction)}
            options={[
              { value: 'none', label: 'None' },
              { value: 'ip', label: 'IP Addresses' },
              { value: 'referer', label: 'HTTP Referrers (Web Sites)' },
            ]}
          />
          {restriction === 'ip' ? (
            <ListInput
              label="IP address"
              items={ips}
              onChange={setIps}
              pending={ipPending}
              onPending={setIpPending}
              validate={ipProblem}
              error={errors.ip}
              placeholder="192.168.1.2, 2002:eb8::2 or 152.12.0.0/13"
            />
          ) : null}
          {restriction === 'referer' ? (
            <ListInput
              label="HTTP referrer"
              items={referers}
              onChange={setReferers}
              pending={refPending}
              onPending={setRefPending}
              validate={refererProblem}
              error={errors.referer}
              placeholder="www.example.com/path or *.example.com/*"
            />
          ) : null}
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={busy}>
              Generate
            </Button>
            <Button onClick={close}>Cancel</Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
