import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../test/support/dialects.js';
import { apiKeysRepository, applicationsRepository, type ApiKeyRow } from './index.js';

const NOW = 1_800_000_000_000;

function key(jti: string, applicationId: number, over: Partial<ApiKeyRow>): ApiKeyRow {
  return {
    jti,
    application_id: applicationId,
    key_type: 'PRODUCTION',
    name: jti,
    kid: 'old_signer',
    issued_at: NOW - 1000,
    expires_at: NOW + 60_000,
    permitted_ip: null,
    permitted_referer: null,
    status: 'ACTIVE',
    revoked_at: null,
    last_used_at: null,
    issued_by: 'alice',
    format: 'jwt',
    key_hash: null,
    grace_expires_at: null,
    replaced_by: null,
    ...over,
  };
}

for (const d of await testDialects()) {
  test(`api keys on ${d.name}: live JWT keys per signing certificate (what an old alias still carries)`, async () => {
    const store = await d.open();
    try {
      const app = await applicationsRepository(store).create({
        uuid: 'app-1',
        name: 'Pizza',
        owner: 'alice',
        throttlingPolicy: 'Unlimited',
        now: NOW,
      });
      const repo = apiKeysRepository(store);
      for (const row of [
        key('old-live', app, {}),
        key('old-later', app, { expires_at: NOW + 120_000 }),
        key('old-revoked', app, { status: 'REVOKED', revoked_at: NOW - 10, expires_at: NOW + 999_999 }),
        key('old-expired', app, { expires_at: NOW - 1 }),
        key('old-grace-over', app, {
          grace_expires_at: NOW - 1,
          expires_at: NOW + 999_999,
          replaced_by: 'x',
        }),
        key('new-grace', app, { kid: 'new_signer', grace_expires_at: NOW + 5000, replaced_by: 'y' }),
        key('new-never', app, { kid: 'new_signer', expires_at: null }),
        key('opaque', app, { kid: 'opaque_kid', format: 'opaque', key_hash: 'h' }),
        key('gone-expired', app, { kid: 'gone', expires_at: NOW - 5 }),
      ])
        await repo.insert(row);
      assert.deepEqual(await repo.liveJwtKeysBySigningCert(NOW), [
        { kid: 'new_signer', liveKeys: 2, latestExpiry: null },
        { kid: 'old_signer', liveKeys: 2, latestExpiry: NOW + 120_000 },
      ]);
      assert.deepEqual(await repo.liveJwtKeysBySigningCert(NOW + 200_000), [
        { kid: 'new_signer', liveKeys: 1, latestExpiry: null },
      ]);
    } finally {
      await store.close();
    }
  });
}
