import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restErrors } from './rest-errors.js';

test('REST error catalog: each numeric code names one fault', () => {
  const byCode = new Map<number, string[]>();
  for (const [name, spec] of Object.entries(restErrors)) {
    byCode.set(spec.code, [...(byCode.get(spec.code) ?? []), name]);
  }
  const shared = [...byCode].filter(([, names]) => names.length > 1);
  assert.deepEqual(shared, [], 'numeric codes used by more than one fault');
});

test('REST error catalog: generic faults keep the code that mirrors their status', () => {
  assert.equal(restErrors.NOT_FOUND.code, 900404);
  assert.equal(restErrors.CONFLICT.code, 900409);
  for (const [name, spec] of Object.entries(restErrors)) {
    // 900xxx, and the per-feature blocks reserved since (909500–909519 lifecycle webhooks).
    assert.match(String(spec.code), /^90[09]\d{3}$/, `${name} is a 900xxx or 909xxx code`);
  }
});
