import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subscriptionlessTier } from './subscriptionless.js';

test('subscriptionless tier: only business plans that are all WSO2 subscriptionless tiers', () => {
  assert.equal(subscriptionlessTier(['DefaultSubscriptionless']), 'DefaultSubscriptionless');
  assert.equal(subscriptionlessTier(['AsyncDefaultSubscriptionless']), 'AsyncDefaultSubscriptionless');
  // WSO2 drops the subscriptionless tier when other tiers are present: the API then needs subscriptions.
  assert.equal(subscriptionlessTier(['DefaultSubscriptionless', 'Gold']), null);
  assert.equal(subscriptionlessTier(['Unlimited']), null);
  assert.equal(subscriptionlessTier([]), null);
  assert.equal(subscriptionlessTier(undefined), null);
  assert.equal(subscriptionlessTier(['defaultsubscriptionless']), null, 'names are exact');
});
