import {
  NO_APPLICATION_ID,
  type SnapshotApplication,
  type SnapshotSubscription,
} from '../../../core/index.js';
import type { CompiledApi } from '../../snapshot/compiled-snapshot.js';

/** Made-up subscriptions of one compiled API, built once per application or key (no per-request objects). */
export type SubscriptionlessCache = Map<string, SnapshotSubscription>;

const MAX_CACHED = 10_000;

/**
 * The subscription WSO2 makes up for a caller without one on a subscriptionless API (carbon-apimgt
 * `subscribeToAPI` with `DefaultSubscriptionless`): `UNBLOCKED`, of the API's subscriptionless tier, for
 * `application`, or for the key `jti` when there is no application (`NO_APPLICATION_ID`; throttled per key).
 * Call only when `api.subscriptionlessTier` is set.
 */
export function subscriptionlessSubscription(
  api: Omit<CompiledApi, 'resources'>,
  application: SnapshotApplication | undefined,
  jti: string,
  made: SubscriptionlessCache,
): SnapshotSubscription {
  const key = application === undefined ? `key:${jti}` : `app:${application.id}`;
  let sub = made.get(key);
  if (sub === undefined) {
    if (made.size >= MAX_CACHED) made.clear();
    sub = Object.freeze({
      id: `subscriptionless:${key}`,
      applicationId: application?.id ?? NO_APPLICATION_ID,
      apiId: api.api.id,
      policy: api.subscriptionlessTier ?? '',
      status: 'UNBLOCKED',
    });
    made.set(key, sub);
  }
  return sub;
}
