import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiToSnapshot } from './api-to-snapshot.js';

test('the snapshot of a deployed API carries its subscriptionless tier', () => {
  const def = { id: 'a', name: 'A', context: '/a', version: '1.0.0' };
  assert.equal(
    apiToSnapshot({ ...def, policies: ['DefaultSubscriptionless'] }, 'PUBLISHED').subscriptionlessTier,
    'DefaultSubscriptionless',
  );
  assert.equal(apiToSnapshot({ ...def, policies: ['Gold'] }, 'PUBLISHED').subscriptionlessTier, null);
  assert.equal(apiToSnapshot(def, 'PUBLISHED').subscriptionlessTier, null);
});
