import { useState } from 'react';
import { api, PUB } from '../lib/api';
import { Link } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { Alert } from '../components/alert';
import { UsagePanel } from '../components/usage-panel';
import { Loading } from '../components/loading';
import { AccessControlSection, accessControlText } from './access-control-section';
import { DeploymentsSection } from './deployments-section';
import { LifecycleSection } from './lifecycle-section';
import { ResourcesSection } from './resources-section';
import { RuntimeSection } from './runtime-section';
import { SubscriptionsSection } from './subscriptions-section';
import type { PubApi } from './types';

const DEVELOP = ['runtime', 'resources', 'subscriptions', 'access-control'];
const PORTAL_CONFIG = ['subscriptions', 'access-control'];

/** One API in the Publisher: side menu (Overview, Develop → API Configurations → Runtime/Resources, ...) and the section. */
export function ApiPage({ apiId, section = 'overview' }: { apiId: string; section?: string }) {
  const dto = useLoad(() => api<PubApi>('GET', `${PUB}/apis/${encodeURIComponent(apiId)}`), apiId);
  const inDevelop = DEVELOP.includes(section);
  const [develop, setDevelop] = useState(inDevelop);
  const [apiConfig, setApiConfig] = useState(section === 'runtime' || section === 'resources');
  const [portalConfig, setPortalConfig] = useState(PORTAL_CONFIG.includes(section));
  if (dto.error) return <Alert kind="error">{dto.error}</Alert>;
  if (!dto.data) return <Loading what="Loading the API" />;
  const a = dto.data;
  const base = `/publisher/apis/${a.id}`;
  const item = (id: string, label: string) => (
    <li>
      <Link to={`${base}/${id}`} aria-current={section === id ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );
  const group = (label: string, open: boolean, toggle: () => void, controls: string) => (
    <button
      type="button"
      className="menu-group"
      aria-expanded={open}
      aria-controls={controls}
      onClick={toggle}
    >
      {label}
    </button>
  );
  return (
    <>
      <p className="crumbs">
        <Link to="/publisher/apis">APIs</Link> / {a.name} {a.version}
      </p>
      <div className="with-side">
        <nav className="side" aria-label="API menu">
          <p className="side-title">
            {a.name} <span className="meta">{a.version}</span>
          </p>
          <ul>
            {item('overview', 'Overview')}
            <li>
              {group('Develop', develop, () => setDevelop((x) => !x), 'menu-develop')}
              <ul id="menu-develop" hidden={!develop}>
                <li>
                  {group('API Configurations', apiConfig, () => setApiConfig((x) => !x), 'menu-api-config')}
                  <ul id="menu-api-config" hidden={!apiConfig}>
                    {item('runtime', 'Runtime')}
                    {item('resources', 'Resources')}
                  </ul>
                </li>
                <li>
                  {group(
                    'Portal Configurations',
                    portalConfig,
                    () => setPortalConfig((x) => !x),
                    'menu-portal-config',
                  )}
                  <ul id="menu-portal-config" hidden={!portalConfig}>
                    {item('subscriptions', 'Subscriptions')}
                    {item('access-control', 'Access Control')}
                  </ul>
                </li>
              </ul>
            </li>
            {item('deployments', 'Deployments')}
            {item('lifecycle', 'Lifecycle')}
            {item('usage', 'Usage')}
          </ul>
        </nav>
        <div className="side-content">
          {section === 'overview' ? <Overview a={a} /> : null}
          {section === 'runtime' ? <RuntimeSection api={a} onSaved={dto.reload} /> : null}
          {section === 'resources' ? <ResourcesSection api={a} onSaved={dto.reload} /> : null}
          {section === 'subscriptions' ? <SubscriptionsSection api={a} /> : null}
          {section === 'access-control' ? <AccessControlSection api={a} onSaved={dto.reload} /> : null}
          {section === 'deployments' ? <DeploymentsSection api={a} /> : null}
          {section === 'lifecycle' ? <LifecycleSection api={a} onChanged={dto.reload} /> : null}
          {section === 'usage' ? (
            <UsagePanel
              path={`${PUB}/apis/${encodeURIComponent(a.id)}/usage`}
              title="Traffic by application"
              breakdowns={[
                {
                  list: 'byApplication',
                  title: 'Per application',
                  columns: [
                    {
                      key: 'applicationName',
                      label: 'Application',
                      render: (r) =>
                        r.applicationId === '' ? '(no application)' : String(r.applicationName),
                    },
                  ],
                },
              ]}
            />
          ) : null}
        </div>
      </div>
    </>
  );
}

function Overview({ a }: { a: PubApi }) {
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">{a.name}</h1>
      <p>{a.description || 'No description.'}</p>
      <dl className="facts">
        <dt>Version</dt>
        <dd>{a.version}</dd>
        <dt>Context</dt>
        <dd className="mono">
          {a.context}/{a.version}
        </dd>
        <dt>Lifecycle status</dt>
        <dd>
          <span className={`badge badge-${a.lifeCycleStatus.toLowerCase()}`}>{a.lifeCycleStatus}</span>
        </dd>
        <dt>Provider</dt>
        <dd>{a.provider}</dd>
        <dt>Application level security</dt>
        <dd>{a.securityScheme.join(', ')}</dd>
        <dt>Production endpoint</dt>
        <dd className="mono">{a.endpointConfig?.production_endpoints?.url ?? '—'}</dd>
        <dt>Sandbox endpoint</dt>
        <dd className="mono">{a.endpointConfig?.sandbox_endpoints?.url ?? '—'}</dd>
        <dt>Subscription policies</dt>
        <dd>{a.policies.join(', ')}</dd>
        <dt>Resources</dt>
        <dd>{a.operations.length}</dd>
        <dt>Publisher access control</dt>
        <dd>{accessControlText(a)}</dd>
      </dl>
    </section>
  );
}
