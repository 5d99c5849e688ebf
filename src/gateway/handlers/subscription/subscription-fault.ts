import {
  gatewayFaults,
  type GatewayFault,
  type KeyType,
  type SnapshotSubscription,
} from '../../../core/index.js';

/**
 * WSO2's subscription state rules (wso2-compat.md §3.8, `AbstractKeyValidationHandler.validate`): the fault for
 * a subscription that does not allow the call, or null when it does.
 * Missing → 900908; BLOCKED → 900907; ON_HOLD/REJECTED → 900909; PROD_ONLY_BLOCKED with a non-sandbox key → 900907;
 * UNBLOCKED and TIER_UPDATE_PENDING → allowed.
 */
export function subscriptionFault(
  subscription: SnapshotSubscription | undefined,
  keyType: KeyType,
): GatewayFault | null {
  if (subscription === undefined) return gatewayFaults.forbidden();
  switch (subscription.status) {
    case 'UNBLOCKED':
    case 'TIER_UPDATE_PENDING':
      return null;
    case 'BLOCKED':
      return gatewayFaults.apiBlocked();
    case 'PROD_ONLY_BLOCKED':
      return keyType === 'SANDBOX' ? null : gatewayFaults.apiBlocked();
    case 'ON_HOLD':
    case 'REJECTED':
      return gatewayFaults.subscriptionInactive();
    default:
      return gatewayFaults.forbidden();
  }
}
