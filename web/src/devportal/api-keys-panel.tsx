import { useState } from 'react';
import { api, DP, type List } from '../lib/api';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { Button } from '../components/button';
import { ResourceTable } from '../components/resource-table';
import { when } from '../lib/format-time';
import { validityText } from '../lib/format-validity';
import { GenerateApiKeyDialog } from './generate-api-key-dialog';
import { KeyTypeSelect } from './key-type-select';
import { RegenerateApiKeyDialog } from './regenerate-api-key-dialog';
import type { Application, IssuedApiKey, KeyType } from './types';

const FORMAT_LABELS: Record<IssuedApiKey['format'], string> = { jwt: 'JWT', opaque: 'Opaque' };

/** What the State column says: ROTATING keys name the end of their grace; reported keys say LEAKED. */
function apiKeyState(k: IssuedApiKey): string {
  const state =
    k.status === 'ROTATING' && k.graceExpiresAt !== null
      ? `ROTATING until ${when(k.graceExpiresAt)}`
      : k.status;
  return k.leaked ? `${state} · LEAKED` : state;
}

/** The latest leak report of a key: when and where it was found; a key only marked leaked still works. */
function leakText(k: IssuedApiKey): string {
  const last = k.leakReports?.at(-1);
  if (!last) return 'None';
  const where = last.url || 'no URL given';
  return `${when(last.reportedAt)}: ${where}${last.action === 'marked' ? ' (still works: revoke it)' : ''}`;
}

/**
 * API keys of an application for one key type: GENERATE KEY, and the issued keys (name, format, issued, validity,
 * last used, state, leak report) with Regenerate (optionally keeping the old key for a grace period) and Revoke.
 */
export function ApiKeysPanel({ app }: { app: Application }) {
  const [keyType, setKeyType] = useState<KeyType>('PRODUCTION');
  const [open, setOpen] = useState(false);
  const [regenerating, setRegenerating] = useState<IssuedApiKey | null>(null);
  const keys = useLoad(
    () => api<List<IssuedApiKey>>('GET', `${DP}/applications/${app.applicationId}/api-keys`),
    app.applicationId,
  );
  const action = useAction(keys.reload);
  const ofType = keys.data ? { list: keys.data.list.filter((k) => k.keyType === keyType) } : undefined;
  const name = (k: IssuedApiKey) => k.keyName ?? k.keyId;
  const restrictions = (k: IssuedApiKey) =>
    k.permittedIP ? `IP: ${k.permittedIP}` : k.permittedReferer ? `Referrer: ${k.permittedReferer}` : 'None';
  const typeLabel = keyType === 'PRODUCTION' ? 'production' : 'sandbox';
  return (
    <section aria-labelledby="apikey-title" className="stack">
      <h2 id="apikey-title">API Key</h2>
      <p>
        An API key is a credential for this application&apos;s subscriptions. Send it in the API&apos;s API
        key header (<span className="mono">apikey</span> by default).
      </p>
      <div className="toolbar">
        <KeyTypeSelect value={keyType} onChange={setKeyType} />
        <Button variant="primary" onClick={() => setOpen(true)}>
          GENERATE KEY
        </Button>
      </div>
      <h3>Issued API keys</h3>
      <ResourceTable
        rows={ofType?.list}
        error={keys.error}
        label={`Issued ${typeLabel} API keys`}
        loading="Loading API keys"
        empty={`No ${typeLabel} API keys issued yet.`}
        rowKey={(k) => k.keyId}
        columns={[
          { header: 'Name', cell: name },
          { header: 'Format', cell: (k) => FORMAT_LABELS[k.format] ?? k.format },
          { header: 'Issued', cell: (k) => when(k.issuedTime) },
          { header: 'Validity', cell: (k) => validityText(k.validityPeriod) },
          { header: 'Expires', cell: (k) => (k.expiryTime === null ? 'Never' : when(k.expiryTime)) },
          { header: 'Restrictions', cell: restrictions, className: 'mono' },
          { header: 'State', cell: apiKeyState },
          { header: 'Last used', cell: (k) => when(k.lastUsedTime) },
          { header: 'Leak report', cell: leakText, className: 'mono' },
        ]}
        action={action}
        rowActions={(k) => [
          k.status === 'ACTIVE' && {
            label: 'Regenerate',
            ariaLabel: `Regenerate ${name(k)}`,
            run: async () => setRegenerating(k),
          },
          (k.status === 'ACTIVE' || k.status === 'ROTATING') && {
            label: 'Revoke',
            ariaLabel: `Revoke ${name(k)}`,
            danger: true,
            confirm: `Revoke the API key ${name(k)}? Calls with it are refused from now on.`,
            run: () =>
              api<void>(
                'DELETE',
                `${DP}/applications/${app.applicationId}/api-keys/${k.keyType}/${encodeURIComponent(k.keyId)}`,
              ),
          },
        ]}
      />
      <GenerateApiKeyDialog
        open={open}
        owner={app.name}
        endpoint={`${DP}/applications/${app.applicationId}/api-keys/${keyType}/generate`}
        keyType={keyType}
        onClose={() => setOpen(false)}
        onGenerated={keys.reload}
      />
      <RegenerateApiKeyDialog
        owner={app.name}
        endpoint={`${DP}/applications/${app.applicationId}/api-keys/${regenerating?.keyType ?? keyType}/regenerate`}
        apiKey={regenerating}
        onClose={() => setRegenerating(null)}
        onRegenerated={keys.reload}
      />
    </section>
  );
}
