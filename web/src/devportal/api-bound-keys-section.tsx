import { useState } from 'react';
import { api, DP, type List } from '../lib/api';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { Button } from '../components/button';
import { ResourceTable } from '../components/resource-table';
import { when } from '../lib/format-time';
import { isNever } from '../lib/format-validity';
import { AssociateApiKeyDialog } from './associate-api-key-dialog';
import { GenerateApiKeyDialog } from './generate-api-key-dialog';
import { KeyTypeSelect } from './key-type-select';
import { RegenerateApiKeyDialog } from './regenerate-api-key-dialog';
import { KEY_TYPE_LABELS, type ApiBoundKey, type ApiDetail, type Application, type KeyType } from './types';

/** The State column: ROTATING keys name the end of their grace. */
function boundKeyState(k: ApiBoundKey): string {
  return k.state === 'ROTATING' && k.graceExpiresAt !== null
    ? `ROTATING until ${when(k.graceExpiresAt)}`
    : k.state;
}

/** When the key stops working: `Never` for a key without expiry. */
function expiryText(k: ApiBoundKey): string {
  return isNever(k.validityPeriod) ? 'Never' : when(k.issuedOn + k.validityPeriod * 1000);
}

const isLive = (k: ApiBoundKey) => k.state === 'ACTIVE' || k.state === 'ROTATING';

/**
 * The signed-in user's API-bound keys for one API (WSO2 4.7 `/apis/{apiId}/api-keys`): GENERATE KEY (shown once),
 * the list (name, key type, issued, expiry, state, associated application, last used) with Regenerate (optionally
 * keeping the old key for a grace period), Associate with one of the user's applications, Dissociate and Revoke.
 * Only for APIs whose security includes `api_key` (the server answers 400 API_KEYS_NOT_ENABLED otherwise).
 */
export function ApiBoundKeysSection({ api: a }: { api: ApiDetail }) {
  const base = `${DP}/apis/${encodeURIComponent(a.id)}/api-keys`;
  const [keyType, setKeyType] = useState<KeyType>('PRODUCTION');
  const [generating, setGenerating] = useState(false);
  const [regenerating, setRegenerating] = useState<ApiBoundKey | null>(null);
  const [associating, setAssociating] = useState<ApiBoundKey | null>(null);
  const keys = useLoad(() => api<List<ApiBoundKey>>('GET', base), a.id);
  const apps = useLoad(() => api<List<Application>>('GET', `${DP}/applications?limit=100`), a.id);
  const action = useAction(keys.reload);
  const name = (k: ApiBoundKey) => k.keyName ?? k.keyUUID;
  return (
    <section aria-labelledby="api-bound-keys-title" className="stack">
      <h2 id="api-bound-keys-title">API Keys</h2>
      <p>
        An API key for this API only, yours until you revoke it. Send it in the{' '}
        <span className="mono">{a.apiKeyHeader || 'apikey'}</span> header. Associate it with one of your
        applications to call the API as that application.
      </p>
      <div className="toolbar">
        <KeyTypeSelect value={keyType} onChange={setKeyType} />
        <Button variant="primary" onClick={() => setGenerating(true)}>
          GENERATE KEY
        </Button>
      </div>
      <ResourceTable
        list={keys}
        label={`API keys for ${a.name}`}
        loading="Loading API keys"
        empty="You have no API keys for this API yet."
        rowKey={(k) => k.keyUUID}
        columns={[
          { header: 'Name', cell: name },
          { header: 'Key type', cell: (k) => KEY_TYPE_LABELS[k.keyType] ?? k.keyType },
          { header: 'Issued', cell: (k) => when(k.issuedOn) },
          { header: 'Expires', cell: expiryText },
          { header: 'State', cell: boundKeyState },
          { header: 'Application', cell: (k) => k.associatedApp ?? 'None' },
          { header: 'Last used', cell: (k) => when(k.lastUsed) },
        ]}
        action={action}
        rowActions={(k) => [
          k.state === 'ACTIVE' && {
            label: 'Regenerate',
            ariaLabel: `Regenerate ${name(k)}`,
            run: async () => setRegenerating(k),
          },
          k.state === 'ACTIVE' &&
            k.associatedAppId === null && {
              label: 'Associate',
              ariaLabel: `Associate ${name(k)} with an application`,
              run: async () => setAssociating(k),
            },
          isLive(k) &&
            k.associatedAppId !== null && {
              label: 'Dissociate',
              ariaLabel: `Dissociate ${name(k)} from ${k.associatedApp ?? 'its application'}`,
              run: async () => {
                await api<void>('POST', `${base}/dissociate`, { keyUUID: k.keyUUID });
                return `${name(k)} is no longer associated with ${k.associatedApp ?? 'an application'}.`;
              },
            },
          isLive(k) && {
            label: 'Revoke',
            ariaLabel: `Revoke ${name(k)}`,
            danger: true,
            confirm: `Revoke the API key ${name(k)}? Calls with it are refused from now on.`,
            run: async () => {
              await api<void>('POST', `${base}/revoke`, { keyUUID: k.keyUUID });
              return `${name(k)} is revoked.`;
            },
          },
        ]}
      />
      <GenerateApiKeyDialog
        open={generating}
        owner={a.name}
        endpoint={`${base}/generate`}
        keyType={keyType}
        keyTypeInBody
        onClose={() => setGenerating(false)}
        onGenerated={keys.reload}
      />
      <RegenerateApiKeyDialog
        owner={a.name}
        endpoint={`${base}/regenerate`}
        apiKey={
          regenerating && {
            keyId: regenerating.keyUUID,
            keyName: regenerating.keyName,
            keyType: regenerating.keyType,
          }
        }
        onClose={() => setRegenerating(null)}
        onRegenerated={keys.reload}
      />
      <AssociateApiKeyDialog
        apiId={a.id}
        apiKey={associating}
        applications={apps.data?.list}
        onClose={() => setAssociating(null)}
        onAssociated={(message) => {
          setAssociating(null);
          void action.run('associate', async () => message);
        }}
      />
    </section>
  );
}
