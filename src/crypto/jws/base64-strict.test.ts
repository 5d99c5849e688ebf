import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBase64Strict, encodeBase64, JOSE_BASE64, WSO2_BASE64, type Base64Variant } from './index.js';

const STD_PADDED: Base64Variant = { alphabet: 'std', padded: true };
const STD_BARE: Base64Variant = { alphabet: 'std', padded: false };

describe('decodeBase64Strict: one spelling per byte string', () => {
  it('decodes each variant', () => {
    assert.deepEqual(decodeBase64Strict('YQ', JOSE_BASE64), Buffer.from('a'));
    assert.deepEqual(decodeBase64Strict('YQ==', WSO2_BASE64), Buffer.from('a'));
    assert.deepEqual(decodeBase64Strict('-_8', JOSE_BASE64), Buffer.from([0xfb, 0xff]));
    assert.deepEqual(decodeBase64Strict('-_8=', WSO2_BASE64), Buffer.from([0xfb, 0xff]));
    assert.deepEqual(decodeBase64Strict('+/8=', STD_PADDED), Buffer.from([0xfb, 0xff]));
    assert.deepEqual(decodeBase64Strict('+/8', STD_BARE), Buffer.from([0xfb, 0xff]));
    assert.deepEqual(decodeBase64Strict('YWJj', WSO2_BASE64), Buffer.from('abc'));
  });

  // Each of these decodes to real bytes with Buffer.from(s, 'base64url'): the bug this module exists for.
  const refused: [string, Base64Variant, string][] = [
    ['YQ!', JOSE_BASE64, 'character outside the alphabet'],
    ['Y!Q', JOSE_BASE64, 'character inside'],
    ['YQ==', JOSE_BASE64, 'padding where the variant has none'],
    ['YQ', WSO2_BASE64, 'missing padding'],
    ['YQ=', WSO2_BASE64, 'short padding'],
    ['YQ===', WSO2_BASE64, 'excess padding'],
    ['YQ==YQ==', WSO2_BASE64, 'padding in the middle'],
    ['YQ==xyz', JOSE_BASE64, 'junk after padding'],
    ['YR', JOSE_BASE64, 'non-zero unused bits (2 chars)'],
    ['YWJ', JOSE_BASE64, 'non-zero unused bits (3 chars)'],
    ['Y', JOSE_BASE64, 'impossible length'],
    ['YWJjZ', JOSE_BASE64, 'impossible length 5'],
    ['', JOSE_BASE64, 'empty'],
    ['====', WSO2_BASE64, 'only padding'],
    ['Y Q', JOSE_BASE64, 'space'],
    ['YQ\n', JOSE_BASE64, 'newline'],
    ['\tYQ', JOSE_BASE64, 'tab'],
    ['+/8', JOSE_BASE64, 'standard alphabet in a url variant'],
    ['-_8=', STD_PADDED, 'url alphabet in a std variant'],
    ['ＹＱ', JOSE_BASE64, 'full-width letters'],
  ];
  for (const [text, variant, why] of refused) {
    it(`refuses ${JSON.stringify(text)} (${why})`, () => {
      assert.equal(decodeBase64Strict(text, variant), undefined);
    });
  }

  it('round-trips every length and byte value in every variant', () => {
    const variants = [JOSE_BASE64, WSO2_BASE64, STD_PADDED, STD_BARE];
    for (let len = 1; len <= 66; len++) {
      const bytes = Buffer.alloc(len, 0);
      for (let i = 0; i < len; i++) bytes[i] = (i * 97 + len * 31) & 0xff;
      for (const v of variants) {
        const text = encodeBase64(bytes, v);
        assert.deepEqual(decodeBase64Strict(text, v), bytes, `${len} ${JSON.stringify(v)}`);
      }
    }
  });

  it('accepts exactly one of the 64 last characters of a 1-byte group per unused-bit pattern', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const accepted = [...alphabet].filter((c) => decodeBase64Strict(`Y${c}`, JOSE_BASE64) !== undefined);
    assert.deepEqual(accepted, ['A', 'Q', 'g', 'w']);
  });
});
