/**
 * CPU cost of the compiled request pipeline alone (route + resource match + API-key auth from cache +
 * subscription + throttling), without sockets: `npx tsx bench/pipeline-cost.ts [iterations=200000]`.
 */
import type { IncomingMessage } from 'node:http';
import pino from 'pino';
import { systemClock } from '../src/core/index.js';
import { VerifiedTokenCache } from '../src/gateway/cache/verified-token-cache.js';
import { defaultGatewaySettings } from '../src/gateway/gateway-options.js';
import { InMemoryRateCounter } from '../src/gateway/handlers/throttling/rate-counter.js';
import { buildPipeline } from '../src/gateway/pipeline/build-pipeline.js';
import { RequestContext } from '../src/gateway/pipeline/handler.js';
import { matchRoute } from '../src/gateway/router/route-table.js';
import { compileSnapshot } from '../src/gateway/snapshot/compile-snapshot.js';
import { APPS, fixtureSnapshot } from '../src/gateway/test-support/fixture-snapshot.js';
import { keyManagerKeys, lightweightClaims, mintApiKey } from '../src/gateway/test-support/mint-tokens.js';

const n = Number(process.argv[2] ?? 200_000);
const settings = defaultGatewaySettings();
const logger = pino({ level: 'warn' });
const snap = fixtureSnapshot('http://127.0.0.1:1', keyManagerKeys().jwk);
const big = { requestCount: 1e9, unitTimeMs: 60_000, stopOnQuotaReach: true };
const deps = {
  settings,
  clock: systemClock,
  logger,
  counter: new InMemoryRateCounter(),
  accessTokens: new VerifiedTokenCache<never>(settings.tokenCache),
  apiKeys: new VerifiedTokenCache<never>(settings.tokenCache),
  backendJwts: new Map(),
};
const index = compileSnapshot(
  {
    ...snap,
    policies: [
      ...snap.policies,
      { name: 'BenchGold', level: 'subscription', ...big, burst: { limit: 1e9, unit: 'sec' } },
      { name: 'BenchApp', level: 'application', ...big, burst: null },
    ],
    subscriptions: snap.subscriptions.map((s) =>
      s.applicationId === APPS.subscribed ? { ...s, policy: 'BenchGold' } : s,
    ),
    applications: snap.applications.map((a) =>
      a.id === APPS.subscribed ? { ...a, throttlingPolicy: 'BenchApp' } : a,
    ),
  },
  (api, resource, idx) => buildPipeline(api, resource, idx, deps as never),
  logger,
);
const key = mintApiKey(lightweightClaims(APPS.subscribed, Math.floor(Date.now() / 1000)));

function once(apiKey: string): void {
  const req = {
    url: '/pizzashack/1.0.0/menu',
    method: 'GET',
    headers: { apikey: apiKey },
    rawHeaders: ['Host', '127.0.0.1', 'apikey', apiKey],
    socket: { remoteAddress: '127.0.0.1' },
  } as unknown as IncomingMessage;
  const match = matchRoute(index.routes, '/pizzashack/1.0.0/menu')!;
  const resource = match.api.resources.find((r) => r.verb === 'GET' && r.template.matches(match.restPath))!;
  const ctx = new RequestContext(req, match.api, resource, match.restPath, '', Date.now(), '127.0.0.1');
  for (const h of resource.pipeline) if (h(ctx) !== undefined) throw new Error('fault');
}

once(key);
// Each request brings a fresh string (as from a socket), so the Map lookup hashes the key every time.
const fresh = () => (key + ' ').trimEnd();
for (let i = 0; i < 20_000; i++) once(fresh());
let t = process.hrtime.bigint();
for (let i = 0; i < n; i++) once(fresh());
const cached = Number(process.hrtime.bigint() - t) / n / 1000;
t = process.hrtime.bigint();
const m = 2000;
for (let i = 0; i < m; i++) {
  deps.apiKeys.clear();
  once(key);
}
const uncached = Number(process.hrtime.bigint() - t) / m / 1000;
console.log(
  `pipeline, cached API key: ${cached.toFixed(2)} µs/request; uncached (RS256 verify): ${uncached.toFixed(1)} µs`,
);
