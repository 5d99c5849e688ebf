import { newUuid, RestError } from '../../core/index.js';
import { apisRepository, type ApiLifecycleEventRow, type Queryable } from '../../store/index.js';
import type { ControlPlaneContext } from '../context.js';
import { displayState } from './lifecycle.js';

/** Records who moved API `apiId` from `from` (null: the creation) to `to`, at `at` (epoch ms), in `db`'s transaction. */
export async function recordLifecycleEvent(
  db: Queryable,
  event: { apiId: string; from: string | null; to: string; username: string; at: number },
): Promise<void> {
  await apisRepository(db).insertLifecycleEvent({
    id: newUuid(),
    api_id: event.apiId,
    previous_state: event.from,
    new_state: event.to,
    username: event.username,
    occurred_at: event.at,
  });
}

/** The WSO2 `LifecycleHistoryItem` of an event; the creation has no `previousState`. */
export function lifecycleHistoryItem(e: ApiLifecycleEventRow) {
  return {
    ...(e.previous_state === null ? {} : { previousState: displayState(e.previous_state) }),
    postState: displayState(e.new_state),
    user: e.username,
    updatedTime: new Date(e.occurred_at).toISOString(),
  };
}

/**
 * `GET /apis/{apiId}/lifecycle-history`: every lifecycle change of the API, oldest first (WSO2 `LifecycleHistory`).
 * @throws RestError API_NOT_FOUND
 */
export async function lifecycleHistory(ctx: ControlPlaneContext, apiId: string) {
  const repo = apisRepository(ctx.store);
  if (!(await repo.findById(apiId))) throw new RestError('API_NOT_FOUND', `API ${apiId} not found`);
  const list = (await repo.listLifecycleEvents(apiId)).map(lifecycleHistoryItem);
  return { count: list.length, list };
}
