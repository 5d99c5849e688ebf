import { useState } from 'react';
import { api, DP, errorText, type List } from '../lib/api';
import { Link } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Loading } from '../components/loading';
import { PageHeader } from '../components/page-header';
import type { Application } from './types';

/** My applications: list, open, edit, delete. */
export function ApplicationsPage() {
  const apps = useLoad(() => api<List<Application>>('GET', `${DP}/applications?limit=100`), 'apps');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const remove = async (a: Application) => {
    if (!window.confirm(`Delete the application ${a.name}? Its keys and subscriptions are deleted too.`))
      return;
    setBusy(a.applicationId);
    setFailure(null);
    try {
      await api('DELETE', `${DP}/applications/${a.applicationId}`);
      apps.reload();
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <PageHeader title="Applications">
        <Link to="/devportal/applications/create" className="btn btn-primary">
          Add New Application
        </Link>
      </PageHeader>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      {apps.error ? <Alert kind="error">{apps.error}</Alert> : null}
      {!apps.data && !apps.error ? <Loading what="Loading applications" /> : null}
      {apps.data && apps.data.list.length === 0 ? (
        <p className="empty">You have no applications yet.</p>
      ) : null}
      {apps.data && apps.data.list.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Owner</th>
                <th scope="col">Policy</th>
                <th scope="col">Workflow status</th>
                <th scope="col">Subscriptions</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {apps.data.list.map((a) => (
                <tr key={a.applicationId}>
                  <td>
                    <Link to={`/devportal/applications/${a.applicationId}`}>{a.name}</Link>
                  </td>
                  <td>{a.owner}</td>
                  <td>{a.throttlingPolicy}</td>
                  <td>{a.status}</td>
                  <td>{a.subscriptionCount}</td>
                  <td className="row-actions">
                    <Link
                      to={`/devportal/applications/${a.applicationId}/edit`}
                      className="btn btn-link"
                      aria-label={`Edit ${a.name}`}
                    >
                      Edit
                    </Link>
                    <Button
                      variant="link"
                      className="danger-text"
                      busy={busy === a.applicationId}
                      onClick={() => void remove(a)}
                      aria-label={`Delete ${a.name}`}
                    >
                      Delete
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
