import { useState } from 'react';
import { api, DP, type List } from '../lib/api';
import { Link } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Loading } from '../components/loading';
import { PageHeader } from '../components/page-header';
import type { ApiInfo } from './types';

/** Developer Portal API catalog (public: visitors see PUBLIC APIs). */
export function ApisPage() {
  const [query, setQuery] = useState('');
  const q = query.trim();
  const apis = useLoad(
    () => api<List<ApiInfo>>('GET', `${DP}/apis?limit=100${q ? `&query=${encodeURIComponent(q)}` : ''}`),
    q,
  );
  return (
    <>
      <PageHeader title="APIs" />
      <div className="toolbar">
        <TextField
          label="Search APIs"
          type="search"
          value={query}
          onChange={setQuery}
          placeholder="name, context, tag"
        />
      </div>
      {apis.error ? <Alert kind="error">{apis.error}</Alert> : null}
      {apis.loading && !apis.data ? <Loading what="Loading APIs" /> : null}
      {apis.data && apis.data.list.length === 0 ? (
        <p className="empty">
          No APIs are published yet. A publisher can deploy one from the Publisher portal.
        </p>
      ) : null}
      <ul className="cards">
        {apis.data?.list.map((a) => (
          <li key={a.id} className="card api-card">
            <h2>
              <Link to={`/devportal/apis/${a.id}`}>{a.name}</Link>
            </h2>
            <p className="meta">
              <span>Version {a.version}</span> · <span className="mono">{a.context}</span>
            </p>
            <p>{a.description || 'No description.'}</p>
            <p className="meta">
              By {a.provider} ·{' '}
              <span className={`badge badge-${a.lifeCycleStatus.toLowerCase()}`}>{a.lifeCycleStatus}</span>
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
