import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TokenResponse } from '../../key-manager/index.js';
import { tokenResponseJson } from './token-response-json.js';

test('tokenResponseJson is exactly JSON.stringify of the token body, escapes included', () => {
  const jwt = 'eyJ4NXQiOiJh.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl-_';
  const bodies: TokenResponse[] = [
    { access_token: jwt, scope: 'default', token_type: 'Bearer', expires_in: 3600 },
    { access_token: jwt, refresh_token: 'r-1', scope: 'a b', token_type: 'Bearer', expires_in: 2147483647 },
    { access_token: 'x', refresh_token: '', scope: '', token_type: 'Bearer', expires_in: -1 },
  ];
  for (const odd of [
    'say "hi"',
    'back\\slash',
    'tab\there',
    'nl\n',
    '\u0000\u001f\u007f',
    'é',
    '\u2028',
    '\ud800',
  ])
    bodies.push({ access_token: odd, refresh_token: odd, scope: odd, token_type: 'Bearer', expires_in: 0.5 });
  for (const body of bodies)
    assert.equal(tokenResponseJson(body), JSON.stringify(body), JSON.stringify(body));
});
