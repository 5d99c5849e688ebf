import { useState } from 'react';
import { api, PUB, type List } from '../lib/api';
import { useQuery } from '../lib/router';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { ActionMessages } from '../components/action-messages';
import { ResourceTable } from '../components/resource-table';
import { RowActions } from '../components/row-actions';
import { CheckboxField, TextField } from '../components/fields';
import { Button } from '../components/button';
import { when } from '../lib/format-time';
import { DEFAULT_DEPLOYMENT, type PubApi, type Revision } from './types';

/** Deployments: deploy the current definition as a new revision to the Default gateway; the revisions. */
export function DeploymentsSection({ api: a }: { api: PubApi }) {
  const query = useQuery();
  const revisions = useLoad(() => api<List<Revision>>('GET', `${PUB}/apis/${a.id}/revisions`), a.id);
  const [gateway, setGateway] = useState(true);
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<{ gateway?: string; description?: string }>({});
  const action = useAction(
    revisions.reload,
    query.get('deployed') ? `Saved and deployed as ${query.get('deployed')} to the Default gateway.` : null,
  );
  const run = (id: string, work: () => Promise<string>) => void action.run(id, work);

  const deployNew = () => {
    const errs: typeof errors = {};
    if (!gateway) errs.gateway = 'Select the gateway environment to deploy to.';
    if (description.length > 255) errs.description = 'At most 255 characters.';
    setErrors(errs);
    if (Object.keys(errs).length) return;
    void run('new', async () => {
      const rev = await api<Revision>('POST', `${PUB}/apis/${a.id}/revisions`, { description });
      await api(
        'POST',
        `${PUB}/apis/${a.id}/deploy-revision?revisionId=${encodeURIComponent(rev.id)}`,
        DEFAULT_DEPLOYMENT,
      );
      setDescription('');
      return `${rev.displayName} is deployed to the Default gateway.`;
    });
  };

  const path = (r: Revision, action: string) =>
    `${PUB}/apis/${a.id}/${action}?revisionId=${encodeURIComponent(r.id)}`;

  return (
    <section aria-labelledby="deployments-title" className="stack">
      <h1 id="deployments-title">Deployments</h1>
      <ActionMessages action={action} />
      <div className="card stack">
        <h2>Deploy a new revision</h2>
        <fieldset className="group" aria-describedby={errors.gateway ? 'gw-error' : undefined}>
          <legend>Gateway environments</legend>
          <CheckboxField label="Default (localhost)" checked={gateway} onChange={setGateway} />
          {errors.gateway ? (
            <p className="field-error" id="gw-error">
              {errors.gateway}
            </p>
          ) : null}
        </fieldset>
        <TextField
          label="Revision description"
          value={description}
          onChange={setDescription}
          error={errors.description}
        />
        <div className="form-actions">
          <Button variant="primary" busy={action.busy === 'new'} onClick={deployNew}>
            Deploy
          </Button>
        </div>
      </div>
      <h2>Revisions</h2>
      <ResourceTable
        rows={revisions.data?.list}
        error={revisions.error}
        loading="Loading revisions"
        empty="No revisions yet."
        rowKey={(r) => r.id}
        columns={[
          { header: 'Revision', cell: (r) => r.displayName },
          { header: 'Description', cell: (r) => r.description || '—' },
          { header: 'Created', cell: (r) => when(r.createdTime) },
          {
            header: 'Deployed to',
            cell: (r) => r.deploymentInfo.map((d) => `${d.name} (${d.vhost})`).join(', ') || '—',
          },
        ]}
        actions={(r) => {
          const deployed = r.deploymentInfo.length > 0;
          return (
            <RowActions
              rowId={r.id}
              action={action}
              actions={[
                deployed && {
                  label: 'Undeploy',
                  ariaLabel: `Undeploy ${r.displayName}`,
                  run: async () => {
                    await api('POST', path(r, 'undeploy-revision'), DEFAULT_DEPLOYMENT);
                    return `${r.displayName} is undeployed from the Default gateway.`;
                  },
                },
                !deployed && {
                  label: 'Deploy',
                  ariaLabel: `Deploy ${r.displayName}`,
                  run: async () => {
                    await api('POST', path(r, 'deploy-revision'), DEFAULT_DEPLOYMENT);
                    return `${r.displayName} is deployed to the Default gateway.`;
                  },
                },
                !deployed && {
                  label: 'Delete',
                  ariaLabel: `Delete ${r.displayName}`,
                  danger: true,
                  run: async () => {
                    await api('DELETE', `${PUB}/apis/${a.id}/revisions/${r.id}`);
                    return `${r.displayName} is deleted.`;
                  },
                },
              ]}
            />
          );
        }}
      />
    </section>
  );
}
