import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isOpaqueAccessToken, newOpaqueAccessToken } from '../../src/crypto/index.js';
import { rawHttpRequest } from '../../src/gateway/test-support/raw-http.js';
import { basic } from '../support/control-plane-harness.js';
import { http } from '../support/http.js';
import { MENU, startAttackTarget, type AttackTarget } from './support/attack-target.js';
import { mutate, seededRandom } from './support/mutations.js';

const SEED = Number(process.env.PORTICO_ATTACK_SEED ?? 20261202);
const MUTATIONS = 1500;
const DEV = '/api/am/devportal/v3';

/**
 * Well-shaped tokens that were never issued (they pass the shape check, so they prove the HMAC lookup refuses
 * them), and the valid token with a non-canonical last character (same bytes for a lenient base64url decoder).
 */
function forgedTokens(valid: string): string[] {
  const out = [newOpaqueAccessToken(), newOpaqueAccessToken(), 'A'.repeat(43), `${'_'.repeat(42)}A`];
  const last = valid.at(-1)!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const base = alphabet.indexOf(last) & ~3;
  for (let i = 1; i < 4; i++) out.push(valid.slice(0, -1) + alphabet[base + i]!);
  return out;
}

describe('mutated and forged opaque access tokens (an OAUTH application) against a real gateway process', () => {
  let t: AttackTarget;
  let token = '';
  let client = { authorization: '' };
  before(async () => {
    t = await startAttackTarget();
    const app = await t.rest('POST', `${DEV}/applications`, {
      name: 'LegacyOpaque',
      throttlingPolicy: 'Unlimited',
      tokenType: 'OAUTH',
    });
    assert.equal(app.status, 201, app.text);
    const apis = await t.rest('GET', `${DEV}/apis`);
    const apiId = apis.json().list.find((a: { name: string }) => a.name === 'PizzaShackAPI').id as string;
    const sub = await t.rest('POST', `${DEV}/subscriptions`, {
      applicationId: app.json().applicationId,
      apiId,
      throttlingPolicy: 'Unlimited',
    });
    assert.equal(sub.status, 201, sub.text);
    const keys = await t.rest('POST', `${DEV}/applications/${app.json().applicationId}/generate-keys`, {
      keyType: 'PRODUCTION',
      grantTypesToBeSupported: ['client_credentials'],
    });
    assert.equal(keys.status, 200, keys.text);
    token = keys.json().token.accessToken as string;
    client = { authorization: basic(keys.json().consumerKey, keys.json().consumerSecret) };
  });
  after(() => t.stop());

  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

  it('the OAUTH application token is opaque and works; the JWT application of the target still does', async () => {
    assert.ok(isOpaqueAccessToken(token), 'an opaque token');
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await t.call(MENU, bearer(token))).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(status, 200);
    assert.equal((await t.call(MENU, bearer(t.accessToken))).status, 200);
  });

  it('every mutation is refused with a 4xx, none 5xx, none accepted; the valid token still works', async () => {
    const list = mutate(token, MUTATIONS, seededRandom(SEED));
    assert.ok(list.length >= MUTATIONS);
    const byStatus = new Map<number, number>();
    const accepted: string[] = [];
    const serverErrors: string[] = [];
    const notInvalidCredentials: string[] = [];
    let wellShaped = 0;
    const queue = [...list];
    const worker = async () => {
      for (let m = queue.shift(); m !== undefined; m = queue.shift()) {
        if (isOpaqueAccessToken(m.value)) wellShaped++;
        const r = await rawHttpRequest(t.gwPort, MENU, [['authorization', `Bearer ${m.value}`]]);
        byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
        const what = `${m.kind}: ${JSON.stringify(m.value.slice(0, 80))}`;
        const resetOversize = r.status === 0 && r.reset && m.kind === 'oversize';
        if (r.status < 400 && !resetOversize) accepted.push(what);
        if (r.status >= 500 || (r.status === 0 && !resetOversize)) serverErrors.push(`${r.status} ${what}`);
        // A value the HTTP parser accepted reaches the authenticator: 401 900901 (Invalid Credentials).
        if (r.status === 401 && !r.body.includes('900901')) notInvalidCredentials.push(what);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const statuses = [...byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`);
    console.log(
      `# attack suite: opaque access token: ${list.length} mutated requests (${wellShaped} well-shaped), statuses ${statuses.join(' ')}`,
    );
    assert.deepEqual(serverErrors, []);
    assert.deepEqual(accepted, []);
    assert.deepEqual(notInvalidCredentials, []);
    assert.equal((await t.call(MENU, bearer(token))).status, 200);
  });

  it('forged well-shaped and non-canonical tokens are 401 900901; after /oauth2/revoke the token is 401 within 1 s', async () => {
    for (const forged of forgedTokens(token)) {
      const r = await t.call(MENU, bearer(forged));
      assert.equal(r.status, 401, forged);
      assert.equal(JSON.parse(r.body).code, '900901');
    }
    // A JWT application's token is not turned into an opaque one by appending or stripping its signature.
    const [h, p] = t.accessToken.split('.');
    assert.equal((await t.call(MENU, bearer(`${h}${p}`))).status, 401);
    const rv = await http(`${t.cp}/oauth2/revoke`, { headers: client, form: { token } });
    assert.equal(rv.status, 200, rv.text);
    const t0 = Date.now();
    let status = 200;
    while (status !== 401 && Date.now() - t0 < 1000) {
      status = (await t.call(MENU, bearer(token))).status;
      if (status !== 401) await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(status, 401, 'revoked opaque token refused within 1 s');
    assert.equal(
      (await t.call(MENU, bearer(t.accessToken))).status,
      200,
      'the JWT application is unaffected',
    );
  });
});
