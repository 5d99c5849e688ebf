import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signingCertRows } from './signing-cert-usage.js';

test('signing usage: every trust-store alias, every kid in use, and the signing alias, with what is safe to remove', () => {
  const rows = signingCertRows(
    ['gateway_certificate_alias', 'old_signer', 'partner'],
    [
      { kid: 'old_signer', liveKeys: 3, latestExpiry: Date.UTC(2027, 0, 1) },
      { kid: 'gateway_certificate_alias', liveKeys: 1, latestExpiry: null },
      { kid: 'lost_signer', liveKeys: 2, latestExpiry: null },
    ],
    'new_signer',
  );
  assert.deepEqual(
    rows.map((r) => [r.alias, r.inTrustStore, r.signsNewKeys, r.liveKeys, r.latestExpiry, r.safeToRemove]),
    [
      ['gateway_certificate_alias', true, false, 1, 'never', false],
      ['lost_signer', false, false, 2, 'never', false],
      ['new_signer', false, true, 0, null, false],
      ['old_signer', true, false, 3, '2027-01-01T00:00:00.000Z', false],
      ['partner', true, false, 0, null, true],
    ],
  );
});
