import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SnapshotBlockingCondition, SnapshotDelta } from '../../../core/index.js';
import { startHarness, type Harness } from '../../test-support/gateway-harness.js';
import { APPS, fixtureSnapshot } from '../../test-support/fixture-snapshot.js';
import { keyManagerKeys, lightweightClaims, mintApiKey } from '../../test-support/mint-tokens.js';

const BLOCKED =
  '{"code":"900805","message":"Message blocked","description":"You have been blocked from accessing the resource"}';

describe('deny policies at the gateway (900805)', () => {
  const km = keyManagerKeys();
  let h: Harness;
  let version = 1;
  before(async () => {
    h = await startHarness((u) => fixtureSnapshot(u, km.jwk), {
      clientIp: { mode: 'xff-first', trustedProxies: [] },
    });
  });
  after(() => h.close());

  const key = (appId: number = APPS.subscribed, extra: Record<string, unknown> = {}) =>
    mintApiKey(lightweightClaims(appId, Math.floor(h.clock.now() / 1000), extra));
  const call = (path = '/pizzashack/1.0.0/menu', headers: Record<string, string> = {}) =>
    h.request(path, { headers: { apikey: key(), ...headers } });
  const deny = (id: string, condition: SnapshotBlockingCondition | null) => {
    version++;
    const delta: SnapshotDelta = { kind: 'blockingcondition', key: id, condition };
    h.source.publishChanges({ from: version, to: version, deltas: [{ ...delta, version }] });
  };

  it('a blocked API context answers WSO2 403 900805 before authentication; lifting it restores calls', async () => {
    assert.equal((await call()).status, 200);
    deny('api', { id: 'api', type: 'API', value: '/pizzashack/1.0.0' });
    const r = await h.request('/pizzashack/1.0.0/menu');
    assert.equal(r.status, 403);
    assert.equal(r.body, BLOCKED);
    assert.equal((await call()).status, 403);
    assert.equal((await call('/apilimited/1.0.0/menu')).status, 200);
    deny('api', null);
    assert.equal((await call()).status, 200);
  });

  it('IP and IP-range conditions use the resolved client IP (IPv4 and IPv6, inverted)', async () => {
    const from = (ip: string) => call('/pizzashack/1.0.0/menu', { 'x-forwarded-for': `${ip}, 10.9.9.9` });
    deny('ip', { id: 'ip', type: 'IP', fixedIp: '203.0.113.7', invert: false });
    assert.equal((await from('203.0.113.7')).status, 403);
    assert.equal((await from('203.0.113.8')).status, 200);
    deny('ip', {
      id: 'ip',
      type: 'IPRANGE',
      startingIp: '2001:db8::',
      endingIp: '2001:db8::ff',
      invert: false,
    });
    assert.equal((await from('2001:db8::42')).status, 403);
    assert.equal((await from('2001:db8::100')).status, 200);
    deny('ip', { id: 'ip', type: 'IP', fixedIp: '198.51.100.1', invert: true });
    assert.equal((await from('198.51.100.1')).status, 200);
    const other = await from('198.51.100.2');
    assert.equal(other.status, 403);
    assert.equal(other.body, BLOCKED);
    deny('ip', null);
    assert.equal((await from('198.51.100.2')).status, 200);
  });

  it('APPLICATION (owner:name) and USER (the key subject) block after authentication', async () => {
    deny('app', { id: 'app', type: 'APPLICATION', value: 'admin:subscribed' });
    const blocked = await call();
    assert.equal(blocked.status, 403);
    assert.equal(blocked.body, BLOCKED);
    assert.equal(
      (await h.request('/pizzashack/1.0.0/menu', { headers: { apikey: key(APPS.appLimited) } })).status,
      200,
    );
    // Without a credential the caller is unknown: the missing-credentials fault, not 900805.
    assert.equal((await h.request('/pizzashack/1.0.0/menu')).status, 401);
    deny('app', null);
    assert.equal((await call()).status, 200);

    deny('user', { id: 'user', type: 'USER', value: 'mallory' });
    const bySubject = (sub: string) =>
      h.request('/pizzashack/1.0.0/menu', { headers: { apikey: key(APPS.subscribed, { sub }) } });
    assert.equal((await bySubject('mallory@carbon.super')).status, 403);
    assert.equal((await bySubject('alice@carbon.super')).status, 200);
    // An open resource has no user: a USER condition does not apply to it.
    assert.equal((await h.request('/pizzashack/1.0.0/open')).status, 200);
    deny('user', null);
    assert.equal((await bySubject('mallory@carbon.super')).status, 200);
  });
});
