import type { Action } from '../lib/use-action';
import { Alert } from './alert';

/** The error and the success message of an {@link Action}, where there is one. */
export function ActionMessages({ action }: { action: Action }) {
  return (
    <>
      {action.error ? <Alert kind="error">{action.error}</Alert> : null}
      {action.done ? <Alert kind="success">{action.done}</Alert> : null}
    </>
  );
}
