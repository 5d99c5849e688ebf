import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBasicCredentials } from './basic-credentials.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

test('decodes canonical Basic credentials, keeping colons and UTF-8 in the password', () => {
  assert.deepEqual(decodeBasicCredentials(b64('admin:pw')), { username: 'admin', password: 'pw' });
  assert.deepEqual(decodeBasicCredentials(b64('admin:a:b:c')), { username: 'admin', password: 'a:b:c' });
  assert.deepEqual(decodeBasicCredentials(b64('jürgen:pässwörd€')), {
    username: 'jürgen',
    password: 'pässwörd€',
  });
  assert.deepEqual(decodeBasicCredentials(b64('admin:')), { username: 'admin', password: '' });
});

test('refuses every other spelling of the same credential', () => {
  const good = b64('admin:admin-password-1'); // YWRtaW46YWRtaW4tcGFzc3dvcmQtMQ==
  assert.ok(good.endsWith('=='));
  const spellings = [
    `${good}!!!`,
    `${good}AAAA`,
    `${good}==`,
    `${good.slice(0, -2)}`, // padding dropped
    `${good.slice(0, -1)}`, // half the padding
    `!${good}`,
    `${good.slice(0, 4)}*${good.slice(4)}`,
    `${good.slice(0, 4)} ${good.slice(4)}`,
    `${good.slice(0, 4)}\n${good.slice(4)}`,
    `${good.slice(0, 4)}=${good.slice(4)}`,
    good.replace(/\+/g, '-').replace(/\//g, '_').replace('YW', 'Y-'), // base64url characters
    `${good.slice(0, -3)}R==`, // unused bits not zero: decodes to the same bytes as ...Q==
    ` ${good}`,
    '',
    '====',
  ];
  assert.equal(Buffer.from(`${good.slice(0, -3)}R==`, 'base64').toString(), 'admin:admin-password-1');
  for (const s of spellings) assert.equal(decodeBasicCredentials(s), null, JSON.stringify(s));
});

test('refuses a missing colon, an empty user name, control characters and invalid UTF-8', () => {
  for (const raw of ['admin', ':pw', 'ad\u0000min:pw', 'admin:p\u0007w', 'admin:pw\n', 'admin:\u007f']) {
    assert.equal(decodeBasicCredentials(b64(raw)), null, JSON.stringify(raw));
  }
  const invalidUtf8 = Buffer.concat([Buffer.from('admin:'), Buffer.from([0xc3, 0x28])]).toString('base64');
  assert.equal(decodeBasicCredentials(invalidUtf8), null);
});
