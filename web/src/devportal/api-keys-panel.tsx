import { useState } from 'react';
import { api, DP, errorText, type List } from '../lib/api';
import { useLoad } from '../lib/use-load';
import { SelectField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Loading } from '../components/loading';
import { when } from '../lib/format-time';
import { GenerateApiKeyDialog } from './generate-api-key-dialog';
import type { Application, IssuedApiKey, KeyType } from './types';

/** API keys of an application: GENERATE KEY, and the issued keys with Revoke. */
export function ApiKeysPanel({ app }: { app: Application }) {
  const [keyType, setKeyType] = useState<KeyType>('PRODUCTION');
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const keys = useLoad(
    () => api<List<IssuedApiKey>>('GET', `${DP}/applications/${app.applicationId}/api-keys`),
    app.applicationId,
  );
  const revoke = async (k: IssuedApiKey) => {
    if (!window.confirm(`Revoke the API key ${k.keyName ?? k.keyId}? Calls with it are refused from now on.`))
      return;
    setBusy(k.keyId);
    setFailure(null);
    try {
      await api(
        'DELETE',
        `${DP}/applications/${app.applicationId}/api-keys/${k.keyType}/${encodeURIComponent(k.keyId)}`,
      );
      keys.reload();
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(null);
    }
  };
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
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      <h3>Issued API keys</h3>
      {keys.error ? <Alert kind="error">{keys.error}</Alert> : null}
      {!keys.data && !keys.error ? <Loading what="Loading API keys" /> : null}
      {keys.data && keys.data.list.length === 0 ? <p className="empty">No API keys issued yet.</p> : null}
      {keys.data && keys.data.list.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key type</th>
                <th scope="col">Issued</th>
                <th scope="col">Expires</th>
                <th scope="col">Restrictions</th>
                <th scope="col">Status</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.list.map((k) => (
                <tr key={k.keyId}>
                  <td>{k.keyName ?? k.keyId}</td>
                  <td>{k.keyType}</td>
                  <td>{when(k.issuedTime)}</td>
                  <td>{k.expiryTime === null ? 'Never' : when(k.expiryTime)}</td>
                  <td className="mono">{restrictions(k)}</td>
                  <td>{k.status}</td>
                  <td>{when(k.lastUsedTime)}</td>
                  <td>
                    {k.status === 'ACTIVE' ? (
                      <Button
                        variant="link"
                        className="danger-text"
                        busy={busy === k.keyId}
                        onClick={() => void revoke(k)}
                        aria-label={`Revoke ${k.keyName ?? k.keyId}`}
                      >
                        Revoke
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
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
