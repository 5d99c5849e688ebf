import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { restErrors, type RestErrorSpec } from './rest-errors.js';

/** WSO2's `ExceptionCodes` at one pinned carbon-apimgt commit: `[name, errorCode, httpStatusCode]` per entry. */
const wso2 = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/wso2/exception-codes.json', import.meta.url), 'utf8'),
) as { source: { repository: string; commit: string }; entries: [string, number, number][] };
const wso2ByName = new Map(wso2.entries.map(([name, code, status]) => [name, { code, status }]));
const wso2Numbers = new Set(wso2.entries.map(([, code]) => code));
/** Numbers kept free for REST error codes of features being written now (by other branches). */
const RESERVED = { from: 909500, to: 909609 };
const entries = Object.entries(restErrors) as [string, RestErrorSpec][];

test('REST error catalog: each numeric code names one fault', () => {
  const byCode = new Map<number, string[]>();
  for (const [name, spec] of entries) byCode.set(spec.code, [...(byCode.get(spec.code) ?? []), name]);
  const shared = [...byCode].filter(([, names]) => names.length > 1);
  assert.deepEqual(shared, [], 'numeric codes used by more than one fault');
});

test("the WSO2 table names its source: carbon-apimgt's ExceptionCodes at one commit", () => {
  assert.equal(wso2.source.repository, 'wso2/carbon-apimgt');
  assert.match(wso2.source.commit, /^[0-9a-f]{40}$/);
  assert.ok(wso2.entries.length > 400, 'the whole enum, not a selection');
  assert.equal(wso2ByName.size, wso2.entries.length, 'entry names are unique');
});

test("a fault mapped to WSO2 carries that ExceptionCodes entry's number and HTTP status", () => {
  const wrong = entries.flatMap(([name, spec]) => {
    if (spec.wso2 === undefined) return [];
    const w = wso2ByName.get(spec.wso2);
    if (!w) return [`${name}: no ExceptionCodes entry ${spec.wso2}`];
    return w.code === spec.code && w.status === spec.status
      ? []
      : [`${name} is ${spec.status} ${spec.code}; ${spec.wso2} is ${w.status} ${w.code}`];
  });
  assert.deepEqual(wrong, []);
});

test('no Portico-only number collides with a WSO2 ExceptionCodes number or a gateway fault code', () => {
  const gatewaySource = readFileSync(new URL('./gateway-faults.ts', import.meta.url), 'utf8');
  const gatewayCodes = new Set([...gatewaySource.matchAll(/'(\d{6})'/g)].map((m) => Number(m[1])));
  assert.ok(gatewayCodes.has(900901) && gatewayCodes.has(900800), 'gateway codes were read');
  const colliding = entries
    .filter(([, spec]) => spec.wso2 === undefined)
    .filter(([, spec]) => wso2Numbers.has(spec.code) || gatewayCodes.has(spec.code))
    .map(([name, spec]) => `${name} ${spec.code}`);
  assert.deepEqual(colliding, []);
});

test('909500–909609 (Portico feature families: import/export, webhooks, analytics, scopes, revisions) is free of WSO2 numbers', () => {
  const inRange = (code: number) => code >= RESERVED.from && code <= RESERVED.to;
  assert.deepEqual([...wso2Numbers].filter(inRange), []);
  const mappedInRange = entries.filter(([, spec]) => inRange(spec.code) && spec.wso2 !== undefined);
  assert.deepEqual(mappedInRange, [], 'a WSO2-mapped fault carries a WSO2 number, never one of this range');
});

test('every code is a six-digit 90xxxx number', () => {
  for (const [name, spec] of entries) assert.match(String(spec.code), /^90\d{4}$/, name);
});

test('the conditions WSO2 clients switch on answer with WSO2 numbers', () => {
  // Pinned literally: these are the numbers a WSO2 script compares against.
  assert.deepEqual(
    {
      KEYS_ALREADY_GENERATED: restErrors.KEYS_ALREADY_GENERATED.code,
      SUBSCRIPTION_EXISTS: restErrors.SUBSCRIPTION_EXISTS.code,
      APPLICATION_EXISTS: restErrors.APPLICATION_EXISTS.code,
      API_NOT_FOUND: restErrors.API_NOT_FOUND.code,
      APPLICATION_NOT_FOUND: restErrors.APPLICATION_NOT_FOUND.code,
      INSUFFICIENT_SCOPE: restErrors.INSUFFICIENT_SCOPE.code,
      INTERNAL: restErrors.INTERNAL.code,
    },
    {
      KEYS_ALREADY_GENERATED: 901409,
      SUBSCRIPTION_EXISTS: 900336,
      APPLICATION_EXISTS: 900301,
      API_NOT_FOUND: 900308,
      APPLICATION_NOT_FOUND: 900307,
      INSUFFICIENT_SCOPE: 900910,
      INTERNAL: 900967,
    },
  );
});
