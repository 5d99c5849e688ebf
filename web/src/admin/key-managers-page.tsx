import { ADM, api, ApiError, type List } from '../lib/api';
import { useLoad } from '../lib/use-load';
import { Alert } from '../components/alert';
import { Loading } from '../components/loading';
import { PageHeader } from '../components/page-header';

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
      {kms.error ? <Alert kind="error">{kms.error}</Alert> : null}
      {kms.loading ? <Loading what="Loading key managers" /> : null}
      {!kms.loading && kms.data === null ? (
        <Alert kind="info">Key manager administration is not available on this server.</Alert>
      ) : null}
      {kms.data ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Description</th>
                <th scope="col">Enabled</th>
              </tr>
            </thead>
            <tbody>
              {kms.data.list.map((k) => (
                <tr key={k.id}>
                  <td>{k.displayName ?? k.name}</td>
                  <td>{k.type}</td>
                  <td>{k.description || '—'}</td>
                  <td>{k.enabled ? 'Yes' : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
