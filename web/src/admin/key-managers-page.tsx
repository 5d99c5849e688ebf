import { useState } from 'react';
import { api, ApiError, type List } from '../lib/api';
import { Link } from '../lib/router';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { Alert } from '../components/alert';
import { PageHeader } from '../components/page-header';
import { ResourceTable } from '../components/resource-table';
import { ConnectionResult } from './key-manager-connection-result';
import {
  KMS,
  loadHealth,
  testConnection,
  type ConnectionCheck,
  type KeyManagerHealth,
} from './key-manager-model';

export interface AdminKeyManager {
  id: string;
  name: string;
  displayName?: string;
  type: string;
  description?: string;
  enabled: boolean;
}

/** A list entry with the health of its JWKS (null for the resident key manager or when unknown). */
type Row = AdminKeyManager & { health: KeyManagerHealth | null };

/** `GET /key-managers` of the admin API, or null when this server has no such API (404). */
export async function loadKeyManagers(): Promise<List<AdminKeyManager> | null> {
  try {
    return await api<List<AdminKeyManager>>('GET', KMS);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 405)) return null;
    throw err;
  }
}

async function loadRows(): Promise<List<Row> | null> {
  const kms = await loadKeyManagers();
  if (!kms) return null;
  const list = await Promise.all(
    kms.list.map(async (k) => ({ ...k, health: isResident(k) ? null : await loadHealth(k.id) })),
  );
  return { count: list.length, list };
}

const isResident = (k: AdminKeyManager) => k.type === 'default';
const label = (k: AdminKeyManager) => k.displayName || k.name;

const HEALTH_TEXT: Record<KeyManagerHealth['status'], string> = {
  OK: 'OK',
  FAILING: 'Failing',
  PENDING: 'Pending',
  DISABLED: 'Disabled',
  NOT_CONFIGURED: 'No JWKS configured',
  NOT_RUNNING: 'Not checked',
};

function Health({ k }: { k: Row }) {
  if (isResident(k)) return <>Built in</>;
  if (!k.health) return <>Unknown</>;
  const cls = k.health.status === 'OK' ? 'published' : k.health.status === 'FAILING' ? 'blocked' : 'created';
  return (
    <>
      <span className={`badge badge-${cls}`}>{HEALTH_TEXT[k.health.status]}</span>
      {k.health.status === 'FAILING' && k.health.error ? <> {k.health.error}</> : null}
    </>
  );
}

/** Key managers: the resident one and external ones with their health; add, edit, test, delete. */
export function KeyManagersPage() {
  const kms = useLoad(loadRows, 'kms');
  const action = useAction(kms.reload);
  const [tested, setTested] = useState<ConnectionCheck | null>(null);
  if (!kms.loading && kms.data === null) {
    return (
      <>
        <PageHeader title="Key Managers" />
        <Alert kind="info">Key manager administration is not available on this server.</Alert>
      </>
    );
  }
  return (
    <>
      <PageHeader title="Key Managers">
        <Link to="/admin/key-managers/create" className="btn btn-primary">
          Add Key Manager
        </Link>
      </PageHeader>
      <p className="meta">
        Health is the state of each external key manager&apos;s JWKS as the control plane last fetched it.
      </p>
      {tested ? <ConnectionResult result={tested} /> : null}
      <ResourceTable
        list={kms}
        label="Key managers"
        loading="Loading key managers"
        empty="No key managers."
        rowKey={(k) => k.id}
        columns={[
          {
            header: 'Name',
            cell: (k) =>
              isResident(k) ? label(k) : <Link to={`/admin/key-managers/${k.id}`}>{label(k)}</Link>,
          },
          { header: 'Type', cell: (k) => (isResident(k) ? 'Resident' : k.type) },
          { header: 'Enabled', cell: (k) => (k.enabled ? 'Yes' : 'No') },
          { header: 'Health', cell: (k) => <Health k={k} /> },
          { header: 'Description', cell: (k) => k.description || '—' },
        ]}
        action={action}
        actions={(k) =>
          isResident(k) ? null : (
            <Link to={`/admin/key-managers/${k.id}`} className="btn btn-link" aria-label={`Edit ${label(k)}`}>
              Edit
            </Link>
          )
        }
        rowActions={(k) =>
          isResident(k)
            ? []
            : [
                {
                  label: 'Test connection',
                  ariaLabel: `Test connection of ${label(k)}`,
                  run: async () => {
                    setTested(null);
                    setTested(await testConnection(k.id));
                  },
                },
                {
                  label: 'Delete',
                  ariaLabel: `Delete ${label(k)}`,
                  danger: true,
                  confirm: `Delete the key manager ${label(k)}? Applications can no longer use its keys.`,
                  run: async () => {
                    await api<void>('DELETE', `${KMS}/${k.id}`);
                    setTested(null);
                    return `Key manager ${label(k)} deleted.`;
                  },
                },
              ]
        }
      />
    </>
  );
}
