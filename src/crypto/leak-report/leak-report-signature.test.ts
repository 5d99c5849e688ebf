import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { leakReporterKeys, verifyLeakReportSignature } from './index.js';

const pair = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pem = (k: ReturnType<typeof pair>) => k.publicKey.export({ type: 'spki', format: 'pem' }).toString();

test('leak report signature: DER ECDSA P-256 / SHA-256 over the exact bytes, by the key with that id', () => {
  const a = pair();
  const b = pair();
  const keys = leakReporterKeys([
    { id: 'a', pem: pem(a) },
    { id: 'b', pem: pem(b) },
  ]);
  const body = Buffer.from('[{"token":"t","type":"x","url":"u"}]');
  const sig = sign('sha256', body, { key: a.privateKey, dsaEncoding: 'der' }).toString('base64');
  assert.deepEqual(verifyLeakReportSignature(keys, 'a', sig, body), { valid: true, keyId: 'a' });
  const no = (reason: string) => ({ valid: false, reason });
  assert.deepEqual(verifyLeakReportSignature(keys, undefined, sig, body), no('missing'));
  assert.deepEqual(verifyLeakReportSignature(keys, 'a', undefined, body), no('missing'));
  assert.deepEqual(verifyLeakReportSignature(keys, 'a', '', body), no('missing'));
  assert.deepEqual(verifyLeakReportSignature(keys, 'c', sig, body), no('unknown-key'));
  assert.deepEqual(verifyLeakReportSignature(keys, 'b', sig, body), no('mismatch'));
  assert.deepEqual(
    verifyLeakReportSignature(keys, 'a', sig, Buffer.concat([body, Buffer.from(' ')])),
    no('mismatch'),
  );
  const p1363 = sign('sha256', body, { key: a.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64');
  assert.deepEqual(verifyLeakReportSignature(keys, 'a', p1363, body), no('mismatch'));
  for (const bad of [sig.replace(/=+$/, '') + '!', ` ${sig}`, `${sig}AAAA`, 'A'.repeat(200)])
    assert.equal(verifyLeakReportSignature(keys, 'a', bad, body).valid, false, bad);
  assert.equal(verifyLeakReportSignature([], 'a', sig, body).valid, false, 'no keys: nothing verifies');
});
