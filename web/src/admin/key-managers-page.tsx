import { ADM, api, ApiError, type List } from '../lib/api';
import { useLoad } from '../lib/use-load';
import { Alert } from '../components/alert';
import { PageHeader } from '../components/page-header';
import { ResourceTable } from '../components/resource-table';

export interface AdminKeyManager {
  id: string;
  name: string;
  displayName?: string;
  type: string;
  description?: string;
  enabled: boolean;
}

/** `GET /key-managers` of the admin API, or null when this server has no such API (404). */
export async function loadKeyManagers(): Promise<List<AdminKeyManager> | null> {
  try {
    return await api<List<AdminKeyManager>>('GET', `${ADM}/key-managers`);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 405)) return null;
    throw err;
  }
}

/** Key managers as the admin API returns them (read-only here). */
export function KeyManagersPage() {
  const kms = useLoad(loadKeyManagers, 'kms');
  return (
    <>
      <PageHeader title="Key Managers" />
      {!kms.loading && kms.data === null ? (
        <Alert kind="info">Key manager administration is not available on this server.</Alert>
      ) : (
        <ResourceTable
          rows={kms.data?.list}
          error={kms.error}
          loading="Loading key managers"
          empty="No key managers."
          rowKey={(k) => k.id}
          columns={[
            { header: 'Name', cell: (k) => k.displayName ?? k.name },
            { header: 'Type', cell: (k) => k.type },
            { header: 'Description', cell: (k) => k.description || '—' },
            { header: 'Enabled', cell: (k) => (k.enabled ? 'Yes' : 'No') },
          ]}
        />
      )}
    </>
  );
}
