import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { hasValidChecksum, newOpaqueApiKey } from '../../src/crypto/index.js';
import { rawHttpRequest } from '../../src/gateway/test-support/raw-http.js';
import { MENU, startAttackTarget, type AttackTarget } from './support/attack-target.js';
import { mutate, seededRandom } from './support/mutations.js';

const SEED = Number(process.env.PORTICO_ATTACK_SEED ?? 20261202);
const MUTATIONS = 1500;

/**
 * Opaque keys that pass the checksum but were never issued: a well-formed random part under the same or another
 * prefix, and the valid key's random part under another prefix (whose checksum is then recomputed). They get past
 * the offline check, so they prove the HMAC lookup refuses them.
 */
function forgedKeys(valid: string): string[] {
  const [, random] = valid.split('_');
  const out = [newOpaqueApiKey('portico'), newOpaqueApiKey('acme'), newOpaqueApiKey('P')];
  for (const prefix of ['Portico', 'porticO', 'portico2']) out.push(withChecksum(`${prefix}_${random}`));
  return out;
}

/** `body` with its CRC-32 checksum recomputed (what an attacker who read docs/security.md can do). */
function withChecksum(body: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let n = crc32(body) >>> 0;
  let sum = '';
  for (let i = 0; i < 6; i++) {
    sum = alphabet[n % 62]! + sum;
    n = Math.floor(n / 62);
  }
  return `${body}_${sum}`;
}

describe('mutated and forged opaque API keys against a real gateway process (api_key_format = "opaque")', () => {
  let t: AttackTarget;
  before(async () => {
    t = await startAttackTarget({ toml: '[apim.devportal]\napi_key_format = "opaque"\n' });
  });
  after(() => t.stop());

  it('the target key is opaque and works by header and query', async () => {
    assert.ok(!t.apiKey.includes('.') && hasValidChecksum(t.apiKey), 'an opaque key');
    assert.equal((await t.call(MENU, { apikey: t.apiKey })).status, 200);
    assert.equal((await t.call(`${MENU}?apikey=${t.apiKey}`)).status, 200);
  });

  it('every mutation (header or query) is refused with a 4xx, none 5xx; the valid key still works', async () => {
    const list = mutate(t.apiKey, MUTATIONS, seededRandom(SEED));
    assert.ok(list.length >= MUTATIONS);
    const byStatus = new Map<number, number>();
    const accepted: string[] = [];
    const serverErrors: string[] = [];
    let passedChecksum = 0;
    const queue = [...list.entries()];
    const worker = async () => {
      for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
        const [i, m] = job;
        if (hasValidChecksum(m.value)) passedChecksum++;
        const inQuery = i % 2 === 1;
        const path = inQuery ? `${MENU}?apikey=${encodeURIComponent(m.value)}` : MENU;
        const r = await rawHttpRequest(t.gwPort, path, inQuery ? [] : [['apikey', m.value]]);
        byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
        const what = `${m.kind}: ${JSON.stringify(m.value.slice(0, 80))}`;
        const resetOversize = r.status === 0 && r.reset && m.kind === 'oversize';
        if (r.status < 400 && !resetOversize) accepted.push(what);
        if (r.status >= 500 || (r.status === 0 && !resetOversize)) serverErrors.push(`${r.status} ${what}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const statuses = [...byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`);
    console.log(
      `# attack suite: opaque API key: ${list.length} mutated requests (${passedChecksum} with a valid checksum), statuses ${statuses.join(' ')}`,
    );
    assert.deepEqual(serverErrors, []);
    assert.deepEqual(accepted, []);
    assert.equal((await t.call(MENU, { apikey: t.apiKey })).status, 200);
  });

  it('forged keys with a valid checksum are refused by the hash lookup (401), and revocation by value works', async () => {
    for (const forged of forgedKeys(t.apiKey)) {
      assert.ok(hasValidChecksum(forged), forged);
      const r = await t.call(MENU, { apikey: forged });
      assert.equal(r.status, 401, forged);
      assert.match(r.body, /900901/);
    }
    const app = t.application.uuid;
    const rev = await t.rest('POST', `/api/am/devportal/v3/applications/${app}/api-keys/PRODUCTION/revoke`, {
      apikey: t.apiKey,
    });
    assert.equal(rev.status, 200, rev.text);
    let status = 200;
    for (let i = 0; i < 100 && status !== 401; i++) {
      status = (await t.call(MENU, { apikey: t.apiKey })).status;
      if (status !== 401) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(status, 401, 'revoked opaque key refused within 2 s');
  });
});
