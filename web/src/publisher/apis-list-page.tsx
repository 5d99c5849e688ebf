import { useState } from 'react';
import { api, ApiError, errorText, PUB, type List } from '../lib/api';
import { Link, navigate } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Loading } from '../components/loading';
import { PageHeader } from '../components/page-header';
import type { PubApi, PubApiInfo } from './types';

/** Publisher home: the APIs, DEPLOY SAMPLE API, create and import. */
export function ApisListPage() {
  const apis = useLoad(() => api<List<PubApiInfo>>('GET', `${PUB}/apis?limit=100`), 'pub-apis');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const deploySample = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const created = await api<PubApi>('POST', `${PUB}/apis/deploy-sample`);
      navigate(`/publisher/apis/${created.id}/overview`);
    } catch (err) {
      setFailure(
        err instanceof ApiError && err.status === 409
          ? `${err.message}. Open it from the list below.`
          : errorText(err),
      );
      apis.reload();
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeader title="APIs">
        <Link to="/publisher/apis/create" className="btn btn-secondary">
          Create API
        </Link>
        <Link to="/publisher/apis/import" className="btn btn-secondary">
          Import OpenAPI
        </Link>
        <Button variant="primary" busy={busy} onClick={() => void deploySample()}>
          DEPLOY SAMPLE API
        </Button>
      </PageHeader>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      {apis.error ? <Alert kind="error">{apis.error}</Alert> : null}
      {!apis.data && !apis.error ? <Loading what="Loading APIs" /> : null}
      {apis.data && apis.data.list.length === 0 ? (
        <p className="empty">
          No APIs yet. Deploy the PizzaShack sample, create an API or import an OpenAPI document.
        </p>
      ) : null}
      {apis.data && apis.data.list.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Version</th>
                <th scope="col">Context</th>
                <th scope="col">Provider</th>
                <th scope="col">Status</th>
                <th scope="col">Security</th>
              </tr>
            </thead>
            <tbody>
              {apis.data.list.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link to={`/publisher/apis/${a.id}/overview`}>{a.name}</Link>
                  </td>
                  <td>{a.version}</td>
                  <td className="mono">{a.context}</td>
                  <td>{a.provider}</td>
                  <td>
                    <span className={`badge badge-${a.lifeCycleStatus.toLowerCase()}`}>
                      {a.lifeCycleStatus}
                    </span>
                  </td>
                  <td>{a.securityScheme.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
