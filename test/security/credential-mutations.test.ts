import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { rawHttpRequest } from '../../src/gateway/test-support/raw-http.js';
import { insecureAgent } from '../support/http.js';
import { MENU, startAttackTarget, type AttackTarget } from './support/attack-target.js';
import { mutate, seededRandom } from './support/mutations.js';

const SEED = Number(process.env.PORTICO_ATTACK_SEED ?? 20261201);
const PER_CREDENTIAL = 1100;

/** One request: raw header lines and an optional query string. */
interface Carried {
  headers: readonly (readonly [string, string])[];
  query?: string;
}
type Carrier = [name: string, carry: (mutated: string, valid: string) => Carried];

const q = (key: string) => `apikey=${encodeURIComponent(key)}`;
/** How a mutated API key reaches the gateway: header, query, both at once, or a repeated header. */
const API_KEY_CARRIERS: Carrier[] = [
  ['header', (m) => ({ headers: [['apikey', m]] })],
  ['query', (m) => ({ headers: [], query: q(m) })],
  ['valid header + mutated query', (m, v) => ({ headers: [['apikey', v]], query: q(m) })],
  ['mutated header + valid query', (m, v) => ({ headers: [['apikey', m]], query: q(v) })],
  [
    'valid header repeated with the mutation',
    (m, v) => ({
      headers: [
        ['apikey', v],
        ['APIKEY', m],
      ],
    }),
  ],
  ['valid query repeated with the mutation', (m, v) => ({ headers: [], query: `${q(v)}&${q(m)}` })],
];
const TOKEN_CARRIERS: Carrier[] = [
  ['bearer', (m) => ({ headers: [['Authorization', `Bearer ${m}`]] })],
  [
    'valid first, mutation second',
    (m, v) => ({
      headers: [
        ['Authorization', `Bearer ${v}`],
        ['Authorization', `Bearer ${m}`],
      ],
    }),
  ],
  [
    'mutation first, valid second',
    (m, v) => ({
      headers: [
        ['Authorization', `Bearer ${m}`],
        ['Authorization', `Bearer ${v}`],
      ],
    }),
  ],
];

interface Tally {
  requests: number;
  byStatus: Map<number, number>;
  accepted: string[];
  serverErrors: string[];
}

async function attack(t: AttackTarget, valid: string, carriers: Carrier[], seed: number): Promise<Tally> {
  const tally: Tally = { requests: 0, byStatus: new Map(), accepted: [], serverErrors: [] };
  const list = mutate(valid, PER_CREDENTIAL, seededRandom(seed));
  assert.ok(list.length >= PER_CREDENTIAL, `generated ${list.length} mutations`);
  const queue = list.map((m, i) => ({ m, carrier: carriers[i % carriers.length]! }));
  const worker = async () => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      const carried = job.carrier[1](job.m.value, valid);
      const path = carried.query === undefined ? MENU : `${MENU}?${carried.query}`;
      const r = await rawHttpRequest(t.gwPort, path, carried.headers);
      tally.requests++;
      tally.byStatus.set(r.status, (tally.byStatus.get(r.status) ?? 0) + 1);
      const what = `${job.carrier[0]} / ${job.m.kind}: ${JSON.stringify(job.m.value.slice(0, 80))}…`;
      // Node's parser resets the connection of a 64 KiB request line instead of answering 431: still a refusal.
      const resetOversize = r.status === 0 && r.reset && job.m.kind === 'oversize';
      if (r.status < 400 && !resetOversize) tally.accepted.push(what);
      if (r.status >= 500 || (r.status === 0 && !resetOversize))
        tally.serverErrors.push(`${r.status} ${what}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return tally;
}

function report(name: string, t: Tally): void {
  const statuses = [...t.byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`);
  console.log(`# attack suite: ${name}: ${t.requests} mutated requests, statuses ${statuses.join(' ')}`);
}

describe('≥ 2,000 seeded mutations of a valid API key and access token against a real gateway process', () => {
  let t: AttackTarget;
  before(async () => {
    t = await startAttackTarget();
  });
  after(() => t.stop());

  it('every mutated API key is refused (4xx, never 5xx), and the valid key still works afterwards', async () => {
    const tally = await attack(t, t.apiKey, API_KEY_CARRIERS, SEED);
    report('API key', tally);
    assert.deepEqual(tally.serverErrors, []);
    assert.deepEqual(tally.accepted, []);
    assert.ok(tally.requests >= PER_CREDENTIAL);
    assert.equal((await t.call(MENU, { apikey: t.apiKey })).status, 200);
    assert.equal((await t.call(`${MENU}?apikey=${encodeURIComponent(t.apiKey)}`)).status, 200);
  });

  it('every mutated access token is refused (4xx, never 5xx), and the valid token still works afterwards', async () => {
    const tally = await attack(t, t.accessToken, TOKEN_CARRIERS, SEED + 1);
    report('access token', tally);
    assert.deepEqual(tally.serverErrors, []);
    assert.deepEqual(tally.accepted, []);
    assert.ok(tally.requests >= PER_CREDENTIAL);
    assert.equal((await t.call(MENU, { authorization: `Bearer ${t.accessToken}` })).status, 200);
  });

  it('mutated bearer tokens are refused by the control plane REST APIs and introspection too', async () => {
    const rnd = seededRandom(SEED + 7);
    const list = mutate(t.accessToken, 200, rnd).filter(
      (m) => m.value.length < 8000 && !/[^\x20-\x7e]/.test(m.value),
    );
    let refused = 0;
    for (const m of list) {
      const res = await request(`${t.cp}/api/am/devportal/v3/applications`, {
        headers: { authorization: `Bearer ${m.value}` },
        dispatcher: insecureAgent,
      });
      await res.body.text();
      assert.ok(res.statusCode === 401 || res.statusCode === 400, `${res.statusCode} ${m.kind}`);
      const intro = await request(`${t.cp}/oauth2/introspect`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`admin:${t.adminPassword}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ token: m.value }).toString(),
        dispatcher: insecureAgent,
      });
      assert.deepEqual(await intro.body.json(), { active: false }, m.kind);
      refused++;
    }
    console.log(
      `# attack suite: control plane: ${refused} mutated bearer tokens refused by REST auth and introspection`,
    );
    assert.ok(refused > 100);
  });
});
