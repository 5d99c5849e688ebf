import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basic } from '../support/control-plane-harness.js';
import { http, waitFor } from '../support/http.js';
import { runPortico, type PorticoRun } from '../support/portico-process.js';
import {
  callEcho,
  echoApiWithKeys,
  echoUpstream,
  freePort,
  freshDatabase,
  gatewayHome,
  ownRedis,
  stop,
  waitForLine,
  writeHome,
} from '../support/scaled-deployment.js';
import { randomOffset } from '../support/stack.js';

const sharedRedis = process.env.PORTICO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CP_READY = 'Portico control plane ready';
const GW_READY = 'Portico gateway ready';
const health = async (gw: string) => (await http(`${gw}/health`)).json() as { snapshotVersion: number };

test(
  'a gateway restarted with the control plane down serves its persisted snapshot; one stopped while keys were revoked enforces the revocation from its first request',
  { timeout: 180_000 },
  async () => {
    const db = await freshDatabase('portico_gwsync');
    const upstream = await echoUpstream();
    const off = randomOffset();
    const pw = `pw-${randomBytes(8).toString('hex')}`;
    const root = mkdtempSync(join(tmpdir(), 'portico-gwsync-'));
    const CP = `https://localhost:${9443 + off}`;
    const GW = `https://localhost:${8243 + off + 1}`;
    const base = { dbUrl: db.url, password: pw, redisUrl: sharedRedis };
    const runs: PorticoRun[] = [];
    try {
      const cpHome = writeHome(join(root, 'cp'), { ...base, offset: off });
      const cp = runPortico(['control-plane', '--home', cpHome]);
      runs.push(cp);
      await waitForLine(cp, CP_READY);
      const echo = await echoApiWithKeys(CP, pw, upstream.url);
      const [kept, revokedWhileDown] = [await echo.issue(), await echo.issue()];
      const gwHome = gatewayHome(cpHome, join(root, 'gw'), {
        ...base,
        offset: off + 1,
        cpUrls: [CP],
        poll: 1,
      });
      const startGateway = async () => {
        const gw = runPortico(['gateway', '--home', gwHome]);
        runs.push(gw);
        await waitForLine(gw, GW_READY);
        return gw;
      };
      let gw = await startGateway();
      assert.equal(await callEcho(GW, kept), 200);
      assert.equal(await callEcho(GW, revokedWhileDown), 200);
      const file = join(gwHome, 'gateway', 'snapshot.json');
      assert.ok(existsSync(file), 'the last-good snapshot is persisted');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.ok(existsSync(join(gwHome, 'gateway', 'gateway-id')));

      // (b) Stopped, a key is revoked, started again: the revocation holds from the first request.
      await stop(gw);
      await echo.revoke(revokedWhileDown);
      gw = await startGateway();
      assert.equal(await callEcho(GW, revokedWhileDown), 401, 'revoked while the gateway was down');
      assert.equal(await callEcho(GW, kept), 200);
      const live = (await health(GW)).snapshotVersion;
      assert.ok(live > 0);

      // The control plane lists the gateway from its heartbeats, at the version it serves.
      const auth = { authorization: basic('admin', pw) };
      await waitFor(async () => {
        const r = (await http(`${CP}/api/am/admin/v4/gateways`, { headers: auth })).json();
        return r.list?.some((g: { appliedVersion: number }) => g.appliedVersion === live) === true;
      }, 5000);

      // (a) Control plane down, gateway restarted: it serves the persisted snapshot instead of 404 for everything.
      await stop(gw);
      await stop(cp);
      gw = await startGateway();
      assert.equal(await callEcho(GW, kept), 200, 'a valid key is accepted from the persisted snapshot');
      assert.equal(await callEcho(GW, revokedWhileDown), 401, 'and a revoked one stays revoked');
      assert.equal((await health(GW)).snapshotVersion, live);
      assert.match(gw.stderr(), /serving the persisted snapshot until one answers/);
    } finally {
      for (const r of runs) await stop(r);
      upstream.server.close();
      await db.drop();
    }
  },
);

test(
  'with Redis down a revocation reaches the gateway by polling; with the first control plane killed it comes from the second',
  { timeout: 180_000 },
  async () => {
    const db = await freshDatabase('portico_gwsync');
    const redisPort = await freePort();
    let redis = await ownRedis(redisPort);
    const upstream = await echoUpstream();
    const off = randomOffset();
    const pw = `pw-${randomBytes(8).toString('hex')}`;
    const root = mkdtempSync(join(tmpdir(), 'portico-gwfail-'));
    const CP1 = `https://localhost:${9443 + off}`;
    const CP2 = `https://localhost:${9443 + off + 1}`;
    const GW = `https://localhost:${8243 + off + 2}`;
    const POLL_S = 2;
    const base = { dbUrl: db.url, password: pw, redisUrl: redis.url };
    const runs: PorticoRun[] = [];
    try {
      const cp1Home = writeHome(join(root, 'cp1'), { ...base, offset: off });
      const cp1 = runPortico(['control-plane', '--home', cp1Home]);
      runs.push(cp1);
      await waitForLine(cp1, CP_READY);
      const cp2Home = gatewayHome(cp1Home, join(root, 'cp2'), { ...base, offset: off + 1 });
      const cp2 = runPortico(['control-plane', '--home', cp2Home]);
      runs.push(cp2);
      await waitForLine(cp2, CP_READY);
      const echo = await echoApiWithKeys(CP1, pw, upstream.url);
      const keys = [await echo.issue(), await echo.issue(), await echo.issue(), await echo.issue()];
      const gwHome = gatewayHome(cp1Home, join(root, 'gw'), {
        ...base,
        offset: off + 2,
        cpUrls: [CP1, CP2],
        poll: POLL_S,
      });
      const gw = runPortico(['gateway', '--home', gwHome]);
      runs.push(gw);
      await waitForLine(gw, GW_READY);
      for (const k of keys) assert.equal(await callEcho(GW, k), 200);

      // Pushed while Redis is up.
      await echo.revoke(keys[0]!);
      await waitFor(async () => (await callEcho(GW, keys[0]!)) === 401, 1500, 20);

      // (d) Redis killed: the gateway says once that it polls, and the revocation arrives within the poll interval.
      await redis.kill();
      await waitFor(() => /falls back to polling/.test(gw.stderr()), (POLL_S + 2) * 1000);
      const revokedAt = Date.now();
      await echo.revoke(keys[1]!, CP1);
      await waitFor(async () => (await callEcho(GW, keys[1]!)) === 401, (POLL_S + 2) * 1000, 50);
      const ms = Date.now() - revokedAt;
      assert.ok(ms <= POLL_S * 1000 + 1500, `reached by polling in ${ms} ms`);

      // (c) The first control plane killed: the gateway fails over to the second, which has the change.
      await stop(cp1, 'SIGKILL');
      await echo.revoke(keys[2]!, CP2);
      await waitFor(async () => (await callEcho(GW, keys[2]!)) === 401, (POLL_S + 3) * 1000, 50);
      assert.match(gw.stderr(), /control plane failover/);
      const fallbacks = gw.stderr().match(/falls back to polling/g) ?? [];
      assert.equal(fallbacks.length, 1, 'said once per state change, not per poll');
      const listed = (
        await http(`${CP2}/api/am/admin/v4/gateways`, { headers: { authorization: basic('admin', pw) } })
      ).json();
      assert.equal(listed.count, 1);

      // Redis back: push resumes (said once), and changes keep arriving.
      redis = await ownRedis(redisPort);
      await waitFor(() => /push resumed/.test(gw.stderr()), 15_000, 100);
      await echo.revoke(keys[3]!, CP2);
      await waitFor(async () => (await callEcho(GW, keys[3]!)) === 401, (POLL_S + 2) * 1000, 20);
    } finally {
      for (const r of runs) await stop(r);
      await redis.kill();
      upstream.server.close();
      await db.drop();
    }
  },
);
