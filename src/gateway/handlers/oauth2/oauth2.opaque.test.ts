import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { Snapshot, SnapshotAccessToken } from '../../../core/index.js';
import { newOpaqueAccessToken, opaqueKeyHash } from '../../../crypto/index.js';
import { boundedAccessTokenLookup } from '../../background/access-token-lookup.js';
import { APPS, fixtureSnapshot, KM_NAME } from '../../test-support/fixture-snapshot.js';
import { startHarness, type Harness } from '../../test-support/gateway-harness.js';
import { keyManagerKeys } from '../../test-support/mint-tokens.js';
import { BODY } from '../../test-support/expected-faults.js';

const SECRET = randomBytes(32);
const MENU = '/pizzashack/1.0.0/menu';
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);

function tokenState(
  token: string,
  id: string,
  extra: Partial<SnapshotAccessToken> = {},
): SnapshotAccessToken {
  return {
    id,
    hash: opaqueKeyHash(SECRET, token),
    keyManager: KM_NAME,
    consumerKey: `ck-${APPS.subscribed}`,
    subject: 'alice',
    aut: 'APPLICATION',
    scopes: ['default'],
    issuedAt: Math.floor(T0 / 1000),
    expiresAt: T0 + 3600_000,
    ...extra,
  };
}

describe('OAuth2 opaque access tokens at the gateway (OAUTH applications, ADR 0006)', () => {
  const km = keyManagerKeys();
  const held = newOpaqueAccessToken();
  const scoped = newOpaqueAccessToken();
  const sandbox = newOpaqueAccessToken();
  const blocked = newOpaqueAccessToken();
  const remote = new Map<string, SnapshotAccessToken>();
  const asked: string[] = [];
  let h: Harness;
  let version = 1;
  before(async () => {
    const snapshot = (u: string): Snapshot => ({
      ...fixtureSnapshot(u, km.jwk),
      accessTokens: [
        tokenState(held, 'tok-held'),
        tokenState(scoped, 'tok-scoped', { scopes: ['pizza:read'] }),
        tokenState(sandbox, 'tok-sb', { consumerKey: `ck-${APPS.subscribed}-sb` }),
        tokenState(blocked, 'tok-blocked', { consumerKey: `ck-${APPS.blocked}` }),
      ],
    });
    let clockNow = () => T0;
    const lookup = boundedAccessTokenLookup({
      fetch: (hash) => {
        asked.push(hash);
        return Promise.resolve(remote.get(hash) ?? null);
      },
      clock: { now: () => clockNow() },
      logger: pino({ level: 'silent' }),
      maxPerSecond: 5,
      negativeTtlMs: 60_000,
    });
    h = await startHarness(snapshot, {}, { apiKeyHashSecret: SECRET, accessTokenLookup: lookup });
    clockNow = () => h.clock.now();
  });
  after(() => h.close());

  const call = (token: string, path = MENU) =>
    h.request(path, { headers: { authorization: `Bearer ${token}` } });
  const change = (id: string, token: SnapshotAccessToken | null) => {
    version++;
    h.source.publishChanges({
      from: version,
      to: version,
      deltas: [{ version, kind: 'accesstoken', key: id, token }],
    });
  };

  it('a held token is accepted through the JWT pipeline: key mapping, subscription, scopes, key type', async () => {
    const ok = await call(held);
    assert.equal(ok.status, 200, ok.body);
    assert.equal(h.seen.at(-1)?.url, '/prod/api/menu');
    assert.equal(h.seen.at(-1)?.headers.authorization, undefined);
    assert.equal((await call(sandbox)).status, 200);
    assert.equal(h.seen.at(-1)?.url, '/sandbox/menu');
    assert.equal((await call(scoped, '/pizzashack/1.0.0/scoped')).status, 200);
    const noScope = await call(held, '/pizzashack/1.0.0/scoped');
    assert.equal(noScope.status, 403);
    assert.equal(JSON.parse(noScope.body).code, '900910');
    const sub = await call(blocked);
    assert.equal(sub.status, 401);
    assert.equal(JSON.parse(sub.body).code, '900907');
    assert.deepEqual(asked, [], 'nothing asked for held tokens');
  });

  it('mutated, non-canonical or foreign tokens are 401 900901; an unknown well-shaped one is asked about once', async () => {
    const last = held.at(-1) === 'A' ? 'E' : 'A';
    const nonCanonical = held.slice(0, -1) + String.fromCharCode(held.charCodeAt(42) + 1);
    for (const bad of [
      `${held.slice(0, -1)}${last}`,
      nonCanonical,
      `${held}=`,
      held.slice(1),
      `${held}.x`,
      `${held}A`,
    ]) {
      const r = await call(bad);
      assert.equal(r.status, 401, bad);
      assert.equal(r.body, BODY.invalid, bad);
    }
    // Only the first (well-shaped, unknown) one reached the lookup; the rest failed the shape check.
    assert.equal(asked.length, 1);
    assert.equal((await call(`${held.slice(0, -1)}${last}`)).status, 401);
    assert.equal(asked.length, 1, 'remembered as unknown');
  });

  it('garbage well-shaped tokens cost at most maxPerSecond lookups', async () => {
    const before = asked.length;
    const statuses = await Promise.all(Array.from({ length: 40 }, () => call(newOpaqueAccessToken())));
    assert.ok(statuses.every((r) => r.status === 401));
    assert.ok(asked.length - before <= 5, `${asked.length - before} lookups`);
    h.clock.advance(1000);
  });

  it('a token used before its delta: one lookup, then held (no more lookups); a delta teaches the same', async () => {
    const early = newOpaqueAccessToken();
    remote.set(opaqueKeyHash(SECRET, early), tokenState(early, 'tok-early'));
    const n = asked.length;
    assert.equal((await call(early)).status, 200);
    assert.equal((await call(early)).status, 200);
    assert.equal(asked.length, n + 1);

    const pushed = newOpaqueAccessToken();
    change('tok-pushed', tokenState(pushed, 'tok-pushed'));
    assert.equal((await call(pushed)).status, 200);
    assert.equal(asked.length, n + 1);
  });

  it('revocation (a null delta) refuses the token at once, without a lookup; a late lookup answer cannot bring it back', async () => {
    const n = asked.length;
    change('tok-held', null);
    assert.equal((await call(held)).status, 401);
    assert.equal(asked.length, n, 'a revoked token costs no lookup');
    // A token revoked before this gateway ever held it: the lookup's late "live" answer is not believed.
    const raced = newOpaqueAccessToken();
    change('tok-raced', null);
    remote.set(opaqueKeyHash(SECRET, raced), tokenState(raced, 'tok-raced'));
    const late = await call(raced);
    assert.equal(late.status, 401);
    assert.equal(late.body, BODY.invalid);
    assert.equal(asked.length, n + 1);
    // The control plane still vouching for it (a lookup read before the revocation) is not believed.
    remote.set(opaqueKeyHash(SECRET, held), tokenState(held, 'tok-held'));
    const r = await call(held);
    assert.equal(r.status, 401);
    assert.equal(r.body, BODY.invalid);
  });

  it('an expired token is 401 900901 (exact expiry, no skew)', async () => {
    h.clock.set(T0 + 3600_000);
    assert.equal((await call(scoped, '/pizzashack/1.0.0/scoped')).status, 401);
    h.clock.set(T0 + 1000);
  });
});
