/**
 * WSO2's internal business plans of APIs that need no subscription (carbon-apimgt
 * `APIConstants.DEFAULT_SUB_POLICY_SUBSCRIPTIONLESS` and its async twin): an API whose `policies` hold only these
 * is subscriptionless. Portico seeds `DefaultSubscriptionless` (migration 010).
 */
export const SUBSCRIPTIONLESS_TIERS: readonly string[] = Object.freeze([
  'DefaultSubscriptionless',
  'AsyncDefaultSubscriptionless',
]);

/**
 * The subscriptionless tier of an API whose `policies` (Publisher business plans) are non-empty and only
 * subscriptionless tiers (the first of them), or null when the API needs subscriptions.
 */
export function subscriptionlessTier(policies: readonly string[] | undefined | null): string | null {
  if (!Array.isArray(policies) || policies.length === 0) return null;
  return policies.every((p) => SUBSCRIPTIONLESS_TIERS.includes(p)) ? (policies[0] ?? null) : null;
}

/**
 * `SnapshotSubscription.applicationId` of the subscription a gateway makes up for an API-bound key with no
 * application calling a subscriptionless API (stored application ids start at 1). Throttling counts such a
 * subscription per key (its `id` names the key), not per application.
 */
export const NO_APPLICATION_ID = 0;
