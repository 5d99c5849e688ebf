import {
  gatewayFaults,
  type GatewayFault,
  type SnapshotApiKey,
  type SnapshotApplication,
  type SnapshotSubscription,
} from '../../../core/index.js';
import type { CompiledApi, CompiledSnapshot } from '../../snapshot/compiled-snapshot.js';
import { subscriptionFault } from '../subscription/subscription-fault.js';
import {
  subscriptionlessSubscription,
  type SubscriptionlessCache,
} from '../subscription/subscriptionless-subscription.js';

export type { SubscriptionlessCache } from '../subscription/subscriptionless-subscription.js';
import type { VerifiedApiKey } from './verified-api-key.js';

/** What an API key calls an API as: its application (if any) and the subscription it is throttled by. */
export interface ApiKeyAccess {
  readonly application: SnapshotApplication | null;
  readonly subscription: SnapshotSubscription | null;
}

/**
 * Decides whether a verified API key may call `api`, and as what (wso2-compat.md §3.8; docs/wso2-compatibility.md
 * "API-bound API keys"). Every refusal is 403 900908, as WSO2 collapses subscription failures for API keys:
 * - an API-bound key (`state.apiId`) works for its one API only;
 * - the application is the live snapshot entry's for opaque keys (an association changes while a key is cached);
 * - full-claims JWT keys pass by their `subscribedAPIs` claim (3.x, 4.0–4.3);
 * - otherwise the application's subscription must allow the call, except on a subscriptionless API, where a key
 *   with no subscription (an application's, or an API-bound key with no application) is given one of the API's
 *   subscriptionless tier, counted per application or, without one, per key.
 */
export function apiKeyAccess(
  api: Omit<CompiledApi, 'resources'>,
  index: CompiledSnapshot,
  verified: VerifiedApiKey,
  state: SnapshotApiKey | undefined,
  made: SubscriptionlessCache,
): ApiKeyAccess | GatewayFault {
  const forbidden = gatewayFaults.forbidden();
  const boundApi = state?.apiId ?? null;
  if (boundApi !== null && boundApi !== api.api.id) return forbidden;
  const applicationId =
    verified.format === 'opaque' && state !== undefined ? state.applicationId : verified.applicationId;
  const application = applicationId === null ? undefined : index.applications.get(applicationId);
  // An associated key whose application is gone (deleted: the store deleted the key with it) fails closed, also
  // on a subscriptionless API, until the snapshot drops the key too.
  if (state?.apiId != null && applicationId !== null && application === undefined) return forbidden;
  const subscription = application === undefined ? undefined : api.subscriptionsByApp.get(application.id);

  if (verified.subscribedApis !== null) {
    const listed = verified.subscribedApis.some(
      (s) => s.context === api.contextVersion && s.version === api.api.version,
    );
    if (!listed) return forbidden;
    if (application !== undefined && subscriptionFault(subscription, verified.keyType) !== null)
      return forbidden;
    return { application: application ?? null, subscription: subscription ?? null };
  }
  if (subscription === undefined && api.subscriptionlessTier !== null) {
    if (application === undefined && boundApi === null) return forbidden;
    return {
      application: application ?? null,
      subscription: subscriptionlessSubscription(api, application, verified.jti, made),
    };
  }
  if (application === undefined) return forbidden;
  if (subscriptionFault(subscription, verified.keyType) !== null) return forbidden;
  return { application, subscription: subscription ?? null };
}
