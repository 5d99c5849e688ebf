/**
 * CPU cost of each part of a client_credentials token request, in process (no HTTP client competing for the
 * cores): client authentication, the application lookup, signing (dispatch on the event loop and the whole
 * signature), the key manager's `token()`, and a full request through Fastify's `inject`. Prints one JSON line of
 * CPU µs per call (process CPU, all threads, median of ROUNDS).
 *
 *   npx tsx bench/token-endpoint-parts.ts     # N=2000 ROUNDS=5 by default
 *   PARTS=inject npx tsx bench/token-endpoint-parts.ts   # only the named parts (comma-separated)
 */
import { residentKeyManagerOf } from '../src/control-plane/oauth2/index.js';
import { basic } from '../test/support/control-plane-harness.js';
import { tokenBenchFixture } from './token-bench-fixture.js';

const N = Number(process.env.N ?? 2000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const PARTS = process.env.PARTS?.split(',');

const { h, consumerKey, consumerSecret } = await tokenBenchFixture();
const km = residentKeyManagerOf(h.ctx);
const client = await km.authenticateClient(consumerKey, consumerSecret);
if (!client) throw new Error('bench client did not authenticate');
const authorization = basic(consumerKey, consumerSecret);

/** Process CPU µs per call of `op`, `N` calls with up to 32 in flight, median of ROUNDS. */
async function cpuPerCall(part: string, op: () => Promise<unknown>): Promise<number | undefined> {
  if (PARTS && !PARTS.includes(part)) return undefined;
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const cpu0 = process.cpuUsage();
    let left = N;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (left-- > 0) await op();
      }),
    );
    const cpu = process.cpuUsage(cpu0);
    rounds.push((cpu.user + cpu.system) / N);
  }
  return Number(rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]?.toFixed(1));
}

const parts = {
  authenticateClient: await cpuPerCall('authenticateClient', () =>
    km.authenticateClient(consumerKey, consumerSecret),
  ),
  token: await cpuPerCall('token', () => km.token({ grantType: 'client_credentials', client })),
  inject: await cpuPerCall('inject', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials',
    });
    if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode}`);
  }),
};
await h.close();
console.log(JSON.stringify({ bench: 'token-endpoint-parts', n: N, rounds: ROUNDS, cpuMicrosPerCall: parts }));
