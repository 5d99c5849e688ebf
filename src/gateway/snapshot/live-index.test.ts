import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import {
  emptySnapshot,
  fakeClock,
  type DeltaBatch,
  type Snapshot,
  type SnapshotApplication,
  type SnapshotDelta,
} from '../../core/index.js';
import { VerifiedTokenCache } from '../cache/verified-token-cache.js';
import { defaultGatewaySettings } from '../gateway-options.js';
import { InMemoryRateCounter } from '../handlers/throttling/rate-counter.js';
import { buildPipeline, type PipelineDeps } from '../pipeline/build-pipeline.js';
import { fixtureApi } from '../test-support/fixture-snapshot.js';
import { apiKeySigner } from '../test-support/mint-tokens.js';
import { emptyModel, randomChange, rng, toSnapshot } from '../test-support/random-changes.js';
import { LiveIndex } from './live-index.js';

const logger = pino({ level: 'silent' });
const clock = fakeClock(Date.UTC(2026, 0, 1));
const NOW_SEC = Math.floor(clock.now() / 1000);
const deps: PipelineDeps = {
  settings: defaultGatewaySettings(),
  clock,
  logger,
  counter: new InMemoryRateCounter(),
  accessTokens: new VerifiedTokenCache({ enabled: true, ttlMs: 1000, maxEntries: 10 }),
  apiKeys: new VerifiedTokenCache({ enabled: true, ttlMs: 1000, maxEntries: 10 }),
  internalKeys: new VerifiedTokenCache({ enabled: true, ttlMs: 1000, maxEntries: 10 }),
  backendJwts: new Map(),
};
const indexOf = (s: Snapshot): LiveIndex =>
  new LiveIndex(
    s,
    { buildPipeline: (api, r, index) => buildPipeline(api, r, index, deps), logger, clockSkewSeconds: 300 },
    clock.now(),
  );
const sorted = <T>(xs: T[]): T[] => xs.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

/** Everything the request path can read from an index, in a comparable form. */
function dump(index: LiveIndex): unknown {
  return {
    version: index.version,
    routes: sorted(
      [...index.routes].map(([cv, r]) => ({
        cv,
        api: r.api,
        blocked: r.blocked,
        resources: r.resources.map((x) => `${x.verb} ${x.resource.target} ${x.pipeline.length}`),
        subscriptions: sorted([...r.subscriptionsByApp]),
      })),
    ),
    keyManagers: sorted(
      [...index.keyManagersByIssuer].map(([i, k]) => [i, k.keyManager.name, [...k.keys.keys()]]),
    ),
    keyMappings: sorted([...index.keyMappings].flatMap(([km, byKey]) => [...byKey].map((e) => [km, ...e]))),
    applications: sorted([...index.applications]),
    policies: sorted([...index.policies]),
    trusted: [...index.trustedKeys.keys()].sort(),
    revoked: sorted([...index.revoked]),
    stats: index.stats(),
  };
}

/** The authorization verdict of every (key manager, consumer key, API) an access token could name. */
function verdicts(index: LiveIndex): string[] {
  const out: string[] = [];
  for (const iss of ['https://iss-0', 'https://iss-1'])
    for (const km of ['KM-A', 'KM-B'])
      for (let c = 0; c < 8; c++)
        for (let a = 0; a < 5; a++) {
          const manager = index.keyManagersByIssuer.get(iss);
          const route = index.routes.get(`/ctx-api${a}/1.0.0`);
          const mapping = index.keyMappings.get(km)?.get(`ck${c}`);
          const app = mapping && index.applications.get(mapping.applicationId);
          const sub = app && route?.subscriptionsByApp.get(app.id);
          const policy = sub && index.policies.get(sub.policy);
          out.push(
            [
              iss,
              km,
              c,
              a,
              manager?.keyManager.name ?? '-',
              route ? (route.blocked ? 'blocked' : 'ok') : '404',
            ]
              .concat([app ? app.id : 'no-app', sub ? sub.status : 'no-sub', policy?.requestCount ?? '-'])
              .join(' '),
          );
        }
  return out;
}

describe('live index', () => {
  it('applying random change sequences gives the state and verdicts of recompiling the resulting snapshot', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const pick = rng(seed);
      const model = emptyModel();
      for (let i = 0; i < 15; i++) randomChange(model, pick, NOW_SEC);
      let version = 15;
      const live = indexOf(toSnapshot(model, version));
      for (let step = 0; step < 12; step++) {
        const size = 1 + pick(6);
        const deltas = [];
        for (let i = 0; i < size; i++)
          deltas.push({ ...randomChange(model, pick, NOW_SEC), version: version + 1 + i });
        const batch: DeltaBatch = { from: version + 1, to: version + size, deltas };
        assert.equal(live.apply(batch, clock.now()).outcome, 'applied');
        version += size;
        const fresh = indexOf(toSnapshot(model, version));
        assert.deepEqual(dump(live), dump(fresh), `seed ${seed}, step ${step}`);
        assert.deepEqual(verdicts(live), verdicts(fresh), `seed ${seed}, step ${step}: verdicts`);
      }
    }
  });

  it('replaying a batch is harmless; a batch past version + 1 is a gap and changes nothing', () => {
    const pick = rng(99);
    const model = emptyModel();
    const live = indexOf(toSnapshot(model, 0));
    const deltas = [1, 2, 3].map((v) => ({ ...randomChange(model, pick, NOW_SEC), version: v }));
    const batch: DeltaBatch = { from: 1, to: 3, deltas };
    assert.equal(live.apply(batch, clock.now()).outcome, 'applied');
    const after = dump(live);
    assert.equal(live.apply(batch, clock.now()).outcome, 'stale');
    assert.equal(live.apply({ from: 2, to: 3, deltas: deltas.slice(1) }, clock.now()).outcome, 'stale');
    assert.deepEqual(dump(live), after);
    const gap = live.apply(
      { from: 5, to: 5, deltas: [{ ...randomChange(model, pick, NOW_SEC), version: 5 }] },
      clock.now(),
    );
    assert.equal(gap.outcome, 'gap');
    assert.deepEqual(dump(live), after);
    assert.equal(live.version, 3);
  });

  it('an overlapping batch applies only what is newer than the version served', () => {
    const app = (id: number, policy: string): SnapshotApplication => ({
      id,
      uuid: `u${id}`,
      name: `a${id}`,
      owner: 'o',
      throttlingPolicy: policy,
      attributes: {},
    });
    const live = indexOf({ ...emptySnapshot(), version: 2, applications: [app(1, 'Gold')] });
    live.apply(
      {
        from: 1,
        to: 3,
        deltas: [
          { version: 1, kind: 'application', key: '1', application: null },
          { version: 3, kind: 'application', key: '2', application: app(2, 'Silver') },
        ],
      },
      clock.now(),
    );
    assert.deepEqual([...live.applications.keys()], [1, 2]);
    assert.equal(live.version, 3);
  });

  it('removing an application removes its subscriptions and key mappings', () => {
    const snap = {
      ...emptySnapshot(),
      version: 1,
      apis: [fixtureApi('p', '/p', 'http://127.0.0.1:1')],
      applications: [
        { id: 1, uuid: 'u1', name: 'a', owner: 'o', throttlingPolicy: 'Unlimited', attributes: {} },
        { id: 2, uuid: 'u2', name: 'b', owner: 'o', throttlingPolicy: 'Unlimited', attributes: {} },
      ],
      subscriptions: [1, 2].map((id) => ({
        id: `s${id}`,
        apiId: 'p',
        applicationId: id,
        policy: 'Gold',
        status: 'UNBLOCKED' as const,
      })),
      keyMappings: [1, 2].map((id) => ({
        keyManager: 'KM',
        consumerKey: `ck${id}`,
        applicationId: id,
        keyType: 'PRODUCTION' as const,
      })),
    };
    const live = indexOf(snap);
    live.apply(
      { from: 2, to: 2, deltas: [{ version: 2, kind: 'application', key: '1', application: null }] },
      0,
    );
    const route = live.routes.get('/p/1.0.0')!;
    assert.deepEqual([...route.subscriptionsByApp.keys()], [2]);
    assert.deepEqual([...live.keyMappings.get('KM')!.keys()], ['ck2']);
    assert.equal(live.stats().subscriptions, 1);
    assert.equal(live.stats().keyMappings, 1);
  });

  it('each kind of delta reports what the caches must drop', () => {
    const live = indexOf({ ...emptySnapshot(), version: 1 });
    const one = (d: SnapshotDelta) => {
      const v = live.version + 1;
      return live.apply({ from: v, to: v, deltas: [{ ...d, version: v }] }, clock.now());
    };
    const km = one({ kind: 'keymanager', key: 'KM', keyManager: null });
    assert.deepEqual([km.keyManagers, km.trustStore, km.entities, km.revoked.size], [true, false, false, 0]);
    const ts = one({ kind: 'truststore', key: '*', trustedCerts: { a: apiKeySigner.certPem } });
    assert.deepEqual([ts.keyManagers, ts.trustStore, ts.entities], [false, true, false]);
    assert.deepEqual([...live.trustedKeys.keys()], ['a']);
    const rev = one({ kind: 'revocation', key: 'j1', exp: null });
    assert.deepEqual([...rev.revoked], [['j1', null]]);
    assert.equal(one({ kind: 'revocation', key: 'j1', exp: null }).revoked.size, 0, 'already revoked');
    const api = one({ kind: 'api', key: 'x', api: fixtureApi('x', '/x', 'http://127.0.0.1:1') });
    assert.equal(api.entities, true);
    assert.equal(live.routes.get('/x/1.0.0')?.resources.length, 10);
  });

  it('prunes revocations once the token has expired beyond the clock skew; never-expiring ones are counted', () => {
    const warned: number[] = [];
    const capture = pino(
      { level: 'warn' },
      {
        write: (line: string) =>
          void warned.push((JSON.parse(line) as { neverExpiring: number }).neverExpiring),
      },
    );
    const live = new LiveIndex(
      {
        ...emptySnapshot(),
        version: 1,
        revokedTokens: [
          { jti: 'old', exp: NOW_SEC - 301 },
          { jti: 'soon', exp: NOW_SEC + 10 },
          { jti: 'forever', exp: null },
        ],
      },
      {
        buildPipeline: () => [],
        logger: capture,
        clockSkewSeconds: 300,
        neverExpiringWarnAt: 2,
      },
      clock.now(),
    );
    assert.deepEqual(
      [...live.revoked.keys()].sort(),
      ['forever', 'soon'],
      'expired before the snapshot: pruned',
    );
    live.apply(
      { from: 2, to: 2, deltas: [{ version: 2, kind: 'revocation', key: 'never2', exp: null }] },
      clock.now(),
    );
    assert.deepEqual(warned, [2]);
    assert.equal(live.revocations.prune(clock.now() + 311_000), 1);
    assert.deepEqual([...live.revoked.keys()].sort(), ['forever', 'never2']);
    assert.equal(live.stats().neverExpiringRevocations, 2);
  });
});
