import { useState } from 'react';
import { api, errorText, PUB } from '../lib/api';
import { useLoad } from '../lib/use-load';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Loading } from '../components/loading';
import type { LifecycleState, PubApi } from './types';

/** Lifecycle: the current state and one button per allowed transition (Publish, Block, Deprecate, ...). */
export function LifecycleSection({ api: a, onChanged }: { api: PubApi; onChanged(): void }) {
  const state = useLoad(() => api<LifecycleState>('GET', `${PUB}/apis/${a.id}/lifecycle-state`), `${a.id}`);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const change = async (action: string) => {
    setBusy(action);
    setFailure(null);
    setDone(null);
    try {
      await api('POST', `${PUB}/apis/change-lifecycle?apiId=${a.id}&action=${encodeURIComponent(action)}`);
      setDone(`${action}: done.`);
      state.reload();
      onChanged();
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section aria-labelledby="lc-title" className="stack">
      <h1 id="lc-title">Lifecycle</h1>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      {done ? <Alert kind="success">{done}</Alert> : null}
      {state.error ? <Alert kind="error">{state.error}</Alert> : null}
      {!state.data ? (
        <Loading what="Loading the lifecycle" />
      ) : (
        <>
          <p>
            Current state:{' '}
            <span className={`badge badge-${state.data.state.toLowerCase()}`}>{state.data.state}</span>
          </p>
          {state.data.state === 'Created' ? (
            <p className="field-hint">
              Publishing makes the API visible in the Developer Portal. Deploy it to a gateway too.
            </p>
          ) : null}
          <div className="form-actions">
            {state.data.availableTransitions.map((t) => (
              <Button
                key={t.event}
                variant={t.event === 'Publish' ? 'primary' : 'secondary'}
                busy={busy === t.event}
                onClick={() => void change(t.event)}
              >
                {t.event}
              </Button>
            ))}
            {state.data.availableTransitions.length === 0 ? <p>No further transitions.</p> : null}
          </div>
        </>
      )}
    </section>
  );
}
