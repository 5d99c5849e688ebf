import { api, ApiError, PUB, type List } from '../lib/api';
import { Link, navigate } from '../lib/router';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { ActionMessages } from '../components/action-messages';
import { Button } from '../components/button';
import { PageHeader } from '../components/page-header';
import { ResourceTable } from '../components/resource-table';
import type { PubApi, PubApiInfo } from './types';

/** Publisher home: the APIs, DEPLOY SAMPLE API, create and import. */
export function ApisListPage() {
  const apis = useLoad(() => api<List<PubApiInfo>>('GET', `${PUB}/apis?limit=100`), 'pub-apis');
  const action = useAction();
  const deploySample = () =>
    void action.run('sample', async () => {
      try {
        const created = await api<PubApi>('POST', `${PUB}/apis/deploy-sample`);
        navigate(`/publisher/apis/${created.id}/overview`);
      } catch (err) {
        apis.reload();
        if (err instanceof ApiError && err.status === 409)
          throw new Error(`${err.message}. Open it from the list below.`);
        throw err;
      }
    });
  return (
    <>
      <PageHeader title="APIs">
        <Link to="/publisher/apis/create" className="btn btn-secondary">
          Create API
        </Link>
        <Link to="/publisher/apis/import" className="btn btn-secondary">
          Import OpenAPI
        </Link>
        <Button variant="primary" busy={action.busy === 'sample'} onClick={deploySample}>
          DEPLOY SAMPLE API
        </Button>
      </PageHeader>
      <ActionMessages action={action} />
      <ResourceTable
        rows={apis.data?.list}
        error={apis.error}
        loading="Loading APIs"
        empty="No APIs yet. Deploy the PizzaShack sample, create an API or import an OpenAPI document."
        rowKey={(a) => a.id}
        columns={[
          { header: 'Name', cell: (a) => <Link to={`/publisher/apis/${a.id}/overview`}>{a.name}</Link> },
          { header: 'Version', cell: (a) => a.version },
          { header: 'Context', cell: (a) => a.context, className: 'mono' },
          { header: 'Provider', cell: (a) => a.provider },
          {
            header: 'Status',
            cell: (a) => (
              <span className={`badge badge-${a.lifeCycleStatus.toLowerCase()}`}>{a.lifeCycleStatus}</span>
            ),
          },
          { header: 'Security', cell: (a) => a.securityScheme.join(', ') },
        ]}
      />
    </>
  );
}
