import { useState } from 'react';
import { api, DP } from '../lib/api';
import { useLoad } from '../lib/use-load';
import { useSession } from '../lib/session';
import { Alert } from '../components/alert';
import { Loading } from '../components/loading';
import { PageHeader } from '../components/page-header';
import { ResourceTable } from '../components/resource-table';
import { Tabs } from '../components/tabs';
import { ApiBoundKeysSection } from './api-bound-keys-section';
import { ApiSubscriptions } from './api-subscriptions';
import { TryItConsole } from './try-it-console';
import type { ApiDetail } from './types';
import { Link } from '../lib/router';

const TABS = ['overview', 'subscriptions', 'api-keys', 'try-out'];

/**
 * One API: overview, Subscriptions (subscribe an application), API Keys (the user's API-bound keys, when the API
 * accepts API keys) and the try-it console.
 */
export function ApiDetailsPage({ apiId, tab }: { apiId: string; tab?: string }) {
  const detail = useLoad(() => api<ApiDetail>('GET', `${DP}/apis/${encodeURIComponent(apiId)}`), apiId);
  const { user } = useSession();
  const [active, setActive] = useState(tab && TABS.includes(tab) ? tab : 'overview');
  if (detail.error) return <Alert kind="error">{detail.error}</Alert>;
  if (!detail.data) return <Loading what="Loading the API" />;
  const a = detail.data;
  const acceptsApiKeys = a.securityScheme.includes('api_key');
  const urls = a.endpointURLs.flatMap((e) => [e.URLs.https, e.URLs.http]).filter((u): u is string => !!u);
  return (
    <>
      <p className="crumbs">
        <Link to="/devportal/apis">APIs</Link> / {a.name}
      </p>
      <PageHeader title={a.name} />
      <p className="meta">
        Version {a.version} · <span className="mono">{a.context}</span> · By {a.provider}
      </p>
      <Tabs
        label="API sections"
        tabs={[
          { id: 'overview', label: 'Overview' },
          { id: 'subscriptions', label: 'Subscriptions' },
          ...(acceptsApiKeys ? [{ id: 'api-keys', label: 'API Keys' }] : []),
          { id: 'try-out', label: 'Try Out' },
        ]}
        active={active}
        onChange={setActive}
      >
        {active === 'overview' ? (
          <section aria-label="Overview">
            <p>{a.description || 'No description.'}</p>
            <h2>Gateway URLs</h2>
            <ul className="plain">
              {urls.map((u) => (
                <li key={u} className="mono">
                  {u}
                </li>
              ))}
            </ul>
            <h2>Security</h2>
            <p>
              {a.securityScheme.includes('oauth2') ? 'OAuth2 access token' : null}
              {a.securityScheme.includes('oauth2') && a.securityScheme.includes('api_key') ? ' or ' : null}
              {a.securityScheme.includes('api_key') ? (
                <>
                  API key (header <span className="mono">{a.apiKeyHeader || 'apikey'}</span>)
                </>
              ) : null}
            </p>
            <h2>Resources</h2>
            <ResourceTable
              rows={a.operations}
              loading="Loading resources"
              empty="No resources."
              rowKey={(o) => `${o.verb} ${o.target}`}
              columns={[
                {
                  header: 'Method',
                  cell: (o) => <span className={`verb verb-${o.verb.toLowerCase()}`}>{o.verb}</span>,
                },
                { header: 'Resource', cell: (o) => o.target, className: 'mono' },
                { header: 'Scopes', cell: (o) => o.scopes.join(', ') || '—' },
              ]}
            />
          </section>
        ) : null}
        {active === 'subscriptions' ? (
          user === null ? (
            <p>
              <Link to={`/devportal/sign-in?next=/devportal/apis/${a.id}/subscriptions`}>Sign in</Link> to
              subscribe an application to this API.
            </p>
          ) : (
            <ApiSubscriptions api={a} />
          )
        ) : null}
        {active === 'api-keys' ? (
          !acceptsApiKeys ? (
            <p>This API does not accept API keys: call it with an OAuth2 access token.</p>
          ) : user === null ? (
            <p>
              <Link to={`/devportal/sign-in?next=/devportal/apis/${a.id}/api-keys`}>Sign in</Link> to generate
              API keys for this API.
            </p>
          ) : (
            <ApiBoundKeysSection api={a} />
          )
        ) : null}
        {active === 'try-out' ? <TryItConsole api={a} /> : null}
      </Tabs>
    </>
  );
}
