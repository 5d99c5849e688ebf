import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textProblem } from './text-rules.js';
import { parseMediaType } from './input-guard.js';
import { parseForm } from './body-parsers.js';

test('textProblem refuses C0, DEL and C1 controls; multi-line text keeps only tab, LF, CR and the separators', () => {
  for (const c of ['\u0000', '\u0001', '\u001b', '\u001f', '\u007f', '\u0080', '\u0085', '\u009f']) {
    assert.equal(textProblem(`a${c}b`, false), 'control characters', JSON.stringify(c));
    assert.equal(textProblem(`a${c}b`, true), 'control characters', JSON.stringify(c));
  }
  for (const c of ['\t', '\n', '\r', '\u2028', '\u2029']) {
    assert.equal(textProblem(`a${c}b`, false), 'control characters', JSON.stringify(c));
    assert.equal(textProblem(`a${c}b`, true), null, JSON.stringify(c));
  }
});

test('textProblem refuses bidi embeddings, overrides and isolates but keeps LRM, RLM and ALM', () => {
  for (const c of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'])
    assert.equal(textProblem(`a${c}b`, true), 'bidirectional control characters', JSON.stringify(c));
  for (const c of ['\u200e', '\u200f', '\u061c', '\u200d'])
    assert.equal(textProblem(`a${c}b`, false), null, JSON.stringify(c));
});

test('textProblem refuses lone surrogates and keeps pairs (emoji, astral scripts)', () => {
  assert.equal(textProblem('a\ud800', false), 'lone surrogates');
  assert.equal(textProblem('\udc00a', false), 'lone surrogates');
  assert.equal(textProblem('\udc00\ud800', false), 'lone surrogates');
  assert.equal(textProblem('😀 𝕏 שלום 中文 é', false), null);
});

test('parseMediaType lower-cases the type, reads charset, and refuses what is not type/subtype', () => {
  assert.deepEqual(parseMediaType('Application/JSON; Charset="UTF-8"'), {
    type: 'application/json',
    charset: 'utf-8',
  });
  assert.deepEqual(parseMediaType('application/x-www-form-urlencoded'), {
    type: 'application/x-www-form-urlencoded',
    charset: null,
  });
  assert.equal(parseMediaType('json'), null);
  assert.equal(parseMediaType('application/json, text/plain'), null);
});

test('parseForm keeps every value of a repeated field and has no prototype', () => {
  const form = parseForm('a=1&b=2&a=3&__proto__=x');
  assert.deepEqual(Object.entries(form), [
    ['a', ['1', '3']],
    ['b', '2'],
    ['__proto__', 'x'],
  ]);
  assert.equal(Object.getPrototypeOf(form), null);
});

test('parseMediaType answers each spelling the same, also after more spellings than it keeps', () => {
  for (let round = 0; round < 2; round++)
    for (let i = 0; i < 100; i++) {
      assert.deepEqual(parseMediaType(`application/x-${i}; charset=UTF-${i}`), {
        type: `application/x-${i}`,
        charset: `utf-${i}`,
      });
      assert.equal(parseMediaType(`application/x-${i}, text/plain`), null);
    }
  assert.deepEqual(parseMediaType('Application/JSON; charset=latin1'), {
    type: 'application/json',
    charset: 'latin1',
  });
  assert.deepEqual(parseMediaType('application/json'), { type: 'application/json', charset: null });
  const long = `application/json; x=${'y'.repeat(300)}; charset=utf-8`;
  for (let i = 0; i < 2; i++)
    assert.deepEqual(parseMediaType(long), { type: 'application/json', charset: 'utf-8' });
});
