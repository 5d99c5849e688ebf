import { useState } from 'react';
import { api, errorText, PUB, type List } from '../lib/api';
import { useQuery } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { CheckboxField, TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Loading } from '../components/loading';
import { when } from '../lib/format-time';
import { DEFAULT_DEPLOYMENT, type PubApi, type Revision } from './types';

/** Deployments: deploy the current definition as a new revision to the Default gateway; the revisions. */
export function DeploymentsSection({ api: a }: { api: PubApi }) {
  const query = useQuery();
  const revisions = useLoad(() => api<List<Revision>>('GET', `${PUB}/apis/${a.id}/revisions`), a.id);
  const [gateway, setGateway] = useState(true);
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<{ gateway?: string; description?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(() =>
    query.get('deployed') ? `Saved and deployed as ${query.get('deployed')} to the Default gateway.` : null,
  );
  const [busy, setBusy] = useState<string | null>(null);

  const run = async (id: string, work: () => Promise<string>) => {
    setBusy(id);
    setFailure(null);
    setDone(null);
    try {
      setDone(await work());
      revisions.reload();
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(null);
    }
  };

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
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      {done ? <Alert kind="success">{done}</Alert> : null}
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
          <Button variant="primary" busy={busy === 'new'} onClick={deployNew}>
            Deploy
          </Button>
        </div>
      </div>
      <h2>Revisions</h2>
      {revisions.error ? <Alert kind="error">{revisions.error}</Alert> : null}
      {!revisions.data && !revisions.error ? <Loading what="Loading revisions" /> : null}
      {revisions.data && revisions.data.list.length === 0 ? <p className="empty">No revisions yet.</p> : null}
      {revisions.data && revisions.data.list.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Revision</th>
                <th scope="col">Description</th>
                <th scope="col">Created</th>
                <th scope="col">Deployed to</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {revisions.data.list.map((r) => {
                const deployed = r.deploymentInfo.length > 0;
                return (
                  <tr key={r.id}>
                    <td>{r.displayName}</td>
                    <td>{r.description || '—'}</td>
                    <td>{when(r.createdTime)}</td>
                    <td>
                      {deployed ? r.deploymentInfo.map((d) => `${d.name} (${d.vhost})`).join(', ') : '—'}
                    </td>
                    <td className="row-actions">
                      {deployed ? (
                        <Button
                          busy={busy === r.id}
                          aria-label={`Undeploy ${r.displayName}`}
                          onClick={() =>
                            void run(r.id, async () => {
                              await api('POST', path(r, 'undeploy-revision'), DEFAULT_DEPLOYMENT);
                              return `${r.displayName} is undeployed from the Default gateway.`;
                            })
                          }
                        >
                          Undeploy
                        </Button>
                      ) : (
                        <>
                          <Button
                            busy={busy === r.id}
                            aria-label={`Deploy ${r.displayName}`}
                            onClick={() =>
                              void run(r.id, async () => {
                                await api('POST', path(r, 'deploy-revision'), DEFAULT_DEPLOYMENT);
                                return `${r.displayName} is deployed to the Default gateway.`;
                              })
                            }
                          >
                            Deploy
                          </Button>
                          <Button
                            variant="link"
                            className="danger-text"
                            aria-label={`Delete ${r.displayName}`}
                            onClick={() =>
                              void run(r.id, async () => {
                                await api('DELETE', `${PUB}/apis/${a.id}/revisions/${r.id}`);
                                return `${r.displayName} is deleted.`;
                              })
                            }
                          >
                            Delete
                          </Button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
