import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness, type Harness } from '../../../../test/support/control-plane-harness.js';
import { selfSignedKey } from '../../../../test/support/self-signed.js';
import { decodeBase64Strict, WSO2_BASE64, x5tOfCert } from '../../../crypto/index.js';
import { createControlPlane } from '../../index.js';
import { devportalApiKeyRoutes } from './index.js';
import {
  assertWso2Encoding,
  decodeKey,
  generateKey,
  insertApplication,
  revoke,
  subscriber,
} from './test-support/api-key-fixtures.js';
import { rawDb } from '../../../../test/support/raw-db.js';

for (const d of await testDialects()) {
  test(`api keys on ${d.name}: a custom API-key signer sets kid and x5t; revocation needs its cert in trust`, async () => {
    const h = await createHarness(await d.open(), [devportalApiKeyRoutes]);
    const signer = selfSignedKey('apikeysigner');
    const cp = await createControlPlane({ ...h.ctx, apiKeySigner: signer }, [devportalApiKeyRoutes]);
    await cp.app.ready();
    const h2 = { ...h, app: cp.app, ctx: { ...h.ctx, apiKeySigner: signer } } as Harness;
    try {
      const alice = await subscriber(h, 'alice');
      const app = await insertApplication(h.store, 'alice', 'Signed');
      const key = await generateKey(h2, alice, app.uuid);
      assertWso2Encoding(h2, key, signer.certificate);
      const { header } = decodeKey(key);
      assert.deepEqual(header, {
        x5t: x5tOfCert(signer.certificate, 'sha1'),
        kid: 'apikeysigner',
        typ: 'JWT',
        alg: 'RS256',
      });
      assert.notEqual(header.x5t, x5tOfCert(h.primaryKey.certificate, 'sha1'));
      const [hs, ps, ss] = key.split('.') as [string, string, string];
      assert.equal(
        verify(
          'sha256',
          Buffer.from(`${hs}.${ps}`),
          h.primaryKey.certificate.publicKey,
          decodeBase64Strict(ss, WSO2_BASE64)!,
        ),
        false,
      );
      const row = await rawDb(h.store).selectFrom('api_keys').select('kid').executeTakeFirstOrThrow();
      assert.equal(row.kid, 'apikeysigner');

      // Not trusted yet: the revoke endpoint cannot verify the key.
      const refused = await revoke(h2, alice, app.uuid, key);
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().errorCode, 'FORBIDDEN');
      // Trust-store aliases match case-insensitively (Java KeyStore aliases are lower-cased).
      await h.ctx.trust.add('APIKeySigner', signer.certificatePem);
      const ok = await revoke(h2, alice, app.uuid, key);
      assert.equal(ok.statusCode, 200, ok.body);
    } finally {
      await cp.app.close();
      await h.close();
    }
  });
}
