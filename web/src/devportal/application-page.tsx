import { api, DP } from '../lib/api';
import { Link, navigate } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { Alert } from '../components/alert';
import { Loading } from '../components/loading';
import { PageHeader } from '../components/page-header';
import { Tabs } from '../components/tabs';
import { UsagePanel } from '../components/usage-panel';
import { ApiKeysPanel } from './api-keys-panel';
import { AppSubscriptions } from './app-subscriptions';
import { OAuthKeysPanel } from './oauth-keys-panel';
import type { Application } from './types';

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'productionkeys', label: 'Production Keys' },
  { id: 'sandboxkeys', label: 'Sandbox Keys' },
  { id: 'subscriptions', label: 'Subscriptions' },
  { id: 'apikey', label: 'API Key' },
  { id: 'usage', label: 'Usage' },
];

/** One application: overview, OAuth2 keys per environment and key manager, subscriptions, API keys. */
export function ApplicationPage({ applicationId, tab }: { applicationId: string; tab?: string }) {
  const app = useLoad(
    () => api<Application>('GET', `${DP}/applications/${encodeURIComponent(applicationId)}`),
    applicationId,
  );
  const active = TABS.some((t) => t.id === tab) ? tab! : 'overview';
  if (app.error) return <Alert kind="error">{app.error}</Alert>;
  if (!app.data) return <Loading what="Loading the application" />;
  const a = app.data;
  return (
    <>
      <p className="crumbs">
        <Link to="/devportal/applications">Applications</Link> / {a.name}
      </p>
      <PageHeader title={a.name}>
        <Link to={`/devportal/applications/${a.applicationId}/edit`} className="btn btn-secondary">
          Edit
        </Link>
      </PageHeader>
      <Tabs
        label="Application sections"
        tabs={TABS}
        active={active}
        onChange={(id) =>
          navigate(`/devportal/applications/${a.applicationId}/${id}`, { replace: true, keepFocus: true })
        }
      >
        {active === 'overview' ? (
          <dl className="facts">
            <dt>Owner</dt>
            <dd>{a.owner}</dd>
            <dt>Throttling policy</dt>
            <dd>{a.throttlingPolicy}</dd>
            <dt>Workflow status</dt>
            <dd>{a.status}</dd>
            <dt>Subscriptions</dt>
            <dd>{a.subscriptionCount}</dd>
            <dt>Description</dt>
            <dd>{a.description || '—'}</dd>
          </dl>
        ) : null}
        {active === 'productionkeys' ? <OAuthKeysPanel app={a} keyType="PRODUCTION" /> : null}
        {active === 'sandboxkeys' ? <OAuthKeysPanel app={a} keyType="SANDBOX" /> : null}
        {active === 'subscriptions' ? <AppSubscriptions app={a} onChanged={app.reload} /> : null}
        {active === 'apikey' ? <ApiKeysPanel app={a} /> : null}
        {active === 'usage' ? (
          <UsagePanel
            path={`${DP}/applications/${encodeURIComponent(a.applicationId)}/usage`}
            title="Traffic and errors"
            breakdowns={[
              {
                list: 'byApi',
                title: 'Per API',
                columns: [{ key: 'apiName', label: 'API', render: (r) => `${r.apiName} ${r.apiVersion}` }],
              },
              {
                list: 'byKey',
                title: 'Per key and API',
                columns: [
                  {
                    key: 'keyId',
                    label: 'Key',
                    render: (r) => (r.keyKind === 'none' ? 'none' : `${r.keyKind} ${r.keyId}`),
                  },
                  { key: 'keyType', label: 'Key type' },
                  { key: 'apiName', label: 'API', render: (r) => `${r.apiName} ${r.apiVersion}` },
                ],
              },
            ]}
          />
        ) : null}
      </Tabs>
    </>
  );
}
