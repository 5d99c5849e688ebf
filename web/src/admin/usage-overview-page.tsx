import { ADM } from '../lib/api';
import { PageHeader } from '../components/page-header';
import { UsagePanel } from '../components/usage-panel';

/** Admin overview of the platform's traffic: totals over time, per API and per application. */
export function UsageOverviewPage() {
  return (
    <>
      <PageHeader title="Usage" />
      <UsagePanel
        path={`${ADM}/usage`}
        title="Platform traffic"
        breakdowns={[
          {
            list: 'byApi',
            title: 'Per API',
            columns: [{ key: 'apiName', label: 'API', render: (r) => `${r.apiName} ${r.apiVersion}` }],
          },
          {
            list: 'byApplication',
            title: 'Per application',
            columns: [
              {
                key: 'applicationName',
                label: 'Application',
                render: (r) => (r.applicationId === '' ? '(no application)' : String(r.applicationName)),
              },
            ],
          },
        ]}
      />
    </>
  );
}
