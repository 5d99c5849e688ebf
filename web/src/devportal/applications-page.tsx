import { api, DP, type List } from '../lib/api';
import { Link } from '../lib/router';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { ActionMessages } from '../components/action-messages';
import { PageHeader } from '../components/page-header';
import { ResourceTable } from '../components/resource-table';
import { RowActions } from '../components/row-actions';
import type { Application } from './types';

/** My applications: list, open, edit, delete. */
export function ApplicationsPage() {
  const apps = useLoad(() => api<List<Application>>('GET', `${DP}/applications?limit=100`), 'apps');
  const action = useAction(apps.reload);
  return (
    <>
      <PageHeader title="Applications">
        <Link to="/devportal/applications/create" className="btn btn-primary">
          Add New Application
        </Link>
      </PageHeader>
      <ActionMessages action={action} />
      <ResourceTable
        rows={apps.data?.list}
        error={apps.error}
        loading="Loading applications"
        empty="You have no applications yet."
        rowKey={(a) => a.applicationId}
        columns={[
          {
            header: 'Name',
            cell: (a) => <Link to={`/devportal/applications/${a.applicationId}`}>{a.name}</Link>,
          },
          { header: 'Owner', cell: (a) => a.owner },
          { header: 'Policy', cell: (a) => a.throttlingPolicy },
          { header: 'Workflow status', cell: (a) => a.status },
          { header: 'Subscriptions', cell: (a) => a.subscriptionCount },
        ]}
        actions={(a) => (
          <RowActions
            rowId={a.applicationId}
            action={action}
            actions={[
              {
                label: 'Delete',
                ariaLabel: `Delete ${a.name}`,
                danger: true,
                confirm: `Delete the application ${a.name}? Its keys and subscriptions are deleted too.`,
                run: () => api<void>('DELETE', `${DP}/applications/${a.applicationId}`),
              },
            ]}
          >
            <Link
              to={`/devportal/applications/${a.applicationId}/edit`}
              className="btn btn-link"
              aria-label={`Edit ${a.name}`}
            >
              Edit
            </Link>
          </RowActions>
        )}
      />
    </>
  );
}
