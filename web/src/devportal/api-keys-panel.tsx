import { useState } from 'react';
import { api, DP, type List } from '../lib/api';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { ActionMessages } from '../components/action-messages';
import { SelectField } from '../components/fields';
import { Button } from '../components/button';
import { ResourceTable } from '../components/resource-table';
import { RowActions } from '../components/row-actions';
import { when } from '../lib/format-time';
import { GenerateApiKeyDialog } from './generate-api-key-dialog';
import type { Application, IssuedApiKey, KeyType } from './types';

/** API keys of an application: GENERATE KEY, and the issued keys with Revoke. */
export function ApiKeysPanel({ app }: { app: Application }) {
  const [keyType, setKeyType] = useState<KeyType>('PRODUCTION');
  const [open, setOpen] = useState(false);
  const keys = useLoad(
    () => api<List<IssuedApiKey>>('GET', `${DP}/applications/${app.applicationId}/api-keys`),
    app.applicationId,
  );
  const action = useAction(keys.reload);
  const restrictions = (k: IssuedApiKey) =>
    k.permittedIP ? `IP: ${k.permittedIP}` : k.permittedReferer ? `Referrer: ${k.permittedReferer}` : 'None';
  return (
    <section aria-labelledby="apikey-title" className="stack">
      <h2 id="apikey-title">API Key</h2>
      <p>
        An API key is a signed token for this application&apos;s subscriptions. Send it in the API&apos;s API
        key header (<span className="mono">apikey</span> by default).
      </p>
      <div className="toolbar">
        <SelectField
          label="Key type"
          value={keyType}
          onChange={(v) => setKeyType(v as KeyType)}
          options={[
            { value: 'PRODUCTION', label: 'Production' },
            { value: 'SANDBOX', label: 'Sandbox' },
          ]}
        />
        <Button variant="primary" onClick={() => setOpen(true)}>
          GENERATE KEY
        </Button>
      </div>
      <ActionMessages action={action} />
      <h3>Issued API keys</h3>
      <ResourceTable
        rows={keys.data?.list}
        error={keys.error}
        loading="Loading API keys"
        empty="No API keys issued yet."
        rowKey={(k) => k.keyId}
        columns={[
          { header: 'Name', cell: (k) => k.keyName ?? k.keyId },
          { header: 'Key type', cell: (k) => k.keyType },
          { header: 'Issued', cell: (k) => when(k.issuedTime) },
          { header: 'Expires', cell: (k) => (k.expiryTime === null ? 'Never' : when(k.expiryTime)) },
          { header: 'Restrictions', cell: restrictions, className: 'mono' },
          { header: 'Status', cell: (k) => k.status },
          { header: 'Last used', cell: (k) => when(k.lastUsedTime) },
        ]}
        actions={(k) => (
          <RowActions
            rowId={k.keyId}
            action={action}
            actions={[
              k.status === 'ACTIVE' && {
                label: 'Revoke',
                ariaLabel: `Revoke ${k.keyName ?? k.keyId}`,
                danger: true,
                confirm: `Revoke the API key ${k.keyName ?? k.keyId}? Calls with it are refused from now on.`,
                run: () =>
                  api<void>(
                    'DELETE',
                    `${DP}/applications/${app.applicationId}/api-keys/${k.keyType}/${encodeURIComponent(k.keyId)}`,
                  ),
              },
            ]}
          />
        )}
      />
      <GenerateApiKeyDialog
        open={open}
        app={app}
        keyType={keyType}
        onClose={() => setOpen(false)}
        onGenerated={keys.reload}
      />
    </section>
  );
}
