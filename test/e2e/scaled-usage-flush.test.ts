import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { Agent, request } from 'undici';
import { basic } from '../support/control-plane-harness.js';
import { http } from '../support/http.js';
import { runPortico, type PorticoRun } from '../support/portico-process.js';
import {
  echoApiWithKeys,
  echoUpstream,
  freshDatabase,
  waitForLine,
  writeHome,
} from '../support/scaled-deployment.js';
import { randomOffset } from '../support/stack.js';

const redisUrl = process.env.PORTICO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GET on a connection of its own, so node:cluster hands the calls of one gateway to each of its workers. */
async function freshGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const agent = new Agent({ connect: { rejectUnauthorized: false } });
  try {
    const res = await request(url, { headers, dispatcher: agent });
    return { status: res.statusCode, text: await res.body.text() };
  } finally {
    await agent.close();
  }
}

interface Figures {
  count: number;
  success: number;
  clientErrors: number;
  serverErrors: number;
}
interface AdminUsage {
  totals: Figures;
  byApi: (Figures & { apiName: string })[];
  byApplication: (Figures & { applicationName: string })[];
}
const figures = (f: Figures | undefined) =>
  f === undefined ? [0, 0, 0, 0] : [f.count, f.success, f.clientErrors, f.serverErrors];

test(
  'usage flushed by separate gateway processes (one single, one with 2 workers) is what the control plane reports, exactly',
  { timeout: 180_000 },
  async () => {
    const db = await freshDatabase('portico_usage');
    const off = randomOffset();
    const pw = `pw-${randomBytes(8).toString('hex')}`;
    const root = mkdtempSync(join(tmpdir(), 'portico-usage-'));
    const upstream = await echoUpstream();
    const cpUrl = `https://localhost:${9443 + off}`;
    const settings = {
      offset: off,
      dbUrl: db.url,
      password: pw,
      redisUrl,
      cpUrls: [cpUrl],
      extraToml: '[analytics]\nflush_interval = 1',
    };
    const runs: PorticoRun[] = [];
    try {
      const cpHome = writeHome(join(root, 'cp'), settings);
      const cp = runPortico(['control-plane', '--home', cpHome]);
      runs.push(cp);
      await waitForLine(cp, 'Portico control plane ready');
      // The second gateway host: a copy of the home (same keystores), two worker processes, at offset + 1.
      const gw2Home = join(root, 'gw2');
      cpSync(cpHome, gw2Home, { recursive: true });
      writeHome(gw2Home, { ...settings, offset: off + 1, workers: 2 });
      const gw1 = runPortico(['gateway', '--home', cpHome]);
      const gw2 = runPortico(['gateway', '--home', gw2Home]);
      runs.push(gw1, gw2);
      await Promise.all([
        waitForLine(gw1, 'Portico gateway ready'),
        waitForLine(gw2, 'Portico gateway ready'),
      ]);
      const gateways = [`https://localhost:${8243 + off}`, `https://localhost:${8243 + off + 1}`] as const;

      const echo = await echoApiWithKeys(cpUrl, pw, upstream.url);
      const key = await echo.issue();
      const items = (gw: string) => `${gw}/echo/1.0.0/items`;
      // Until both gateways serve the new API and know the key (these calls are counted too: the baseline).
      for (const gw of gateways) {
        let status = 0;
        for (let i = 0; i < 100 && status !== 200; i++) {
          status = (await freshGet(items(gw), { apikey: key })).status;
          if (status !== 200) await sleep(100);
        }
        assert.equal(status, 200, `${gw} serves the Echo API`);
      }

      const auth = { authorization: basic('admin', pw) };
      const usage = async (): Promise<AdminUsage> => {
        const r = await http(`${cpUrl}/api/am/admin/v4/usage`, { headers: auth });
        assert.equal(r.status, 200, r.text);
        return r.json<AdminUsage>();
      };
      /** The report once it stopped changing for 2.5 s (flushes are every second, worker batches too). */
      const settled = async (): Promise<AdminUsage> => {
        let last = JSON.stringify(await usage());
        let stableSince = Date.now();
        const end = Date.now() + 30_000;
        while (Date.now() - stableSince < 2500) {
          assert.ok(Date.now() < end, 'usage never settled');
          await sleep(250);
          const now = JSON.stringify(await usage());
          if (now !== last) [last, stableSince] = [now, Date.now()];
        }
        return JSON.parse(last) as AdminUsage;
      };
      const before = await settled();

      // A known sequence: per gateway, keyed 200s, key-less 401s and an unknown key's 401s.
      const sent = { 200: 0, 401: 0 };
      const plan: [gw: string, n: number, headers: Record<string, string>, status: 200 | 401][] = [
        [gateways[0], 3, { apikey: key }, 200],
        [gateways[0], 2, {}, 401],
        [gateways[1], 6, { apikey: key }, 200],
        [gateways[1], 2, {}, 401],
        [gateways[1], 1, { apikey: 'not-a-key' }, 401],
      ];
      for (const [gw, n, headers, status] of plan)
        for (let i = 0; i < n; i++) {
          assert.equal((await freshGet(items(gw), headers)).status, status);
          sent[status]++;
        }

      const deadline = Date.now() + 30_000;
      let after = await usage();
      while (after.totals.count < before.totals.count + sent[200] + sent[401] && Date.now() < deadline) {
        await sleep(250);
        after = await usage();
      }
      after = await settled(); // and nothing more than that arrives
      const delta = (a: Figures | undefined, b: Figures | undefined) =>
        figures(a).map((v, i) => v - figures(b)[i]!);
      assert.deepEqual([sent[200], sent[401]], [9, 5]);
      assert.deepEqual(delta(after.totals, before.totals), [14, 9, 5, 0]);
      const echoApi = (u: AdminUsage) => u.byApi.find((a) => a.apiName === 'Echo');
      assert.deepEqual(delta(echoApi(after), echoApi(before)), [14, 9, 5, 0]);
      // Keyed calls belong to the application; key-less and unknown-key calls to none.
      const app = (u: AdminUsage, name: string) => u.byApplication.find((a) => a.applicationName === name);
      assert.deepEqual(delta(app(after, 'EchoApp'), app(before, 'EchoApp')), [9, 9, 0, 0]);
      assert.deepEqual(delta(app(after, ''), app(before, '')), [5, 0, 5, 0]);

      // Nothing was dropped on the way: neither a buffer nor the primary's merge (the worker gateway).
      const metric = async (gw: string, name: string) => {
        const r = await freshGet(`${gw}/metrics`);
        assert.equal(r.status, 200);
        const families = parsePrometheusTextFormat(r.text);
        return families.find((f) => f.name === name)?.metrics[0]?.value;
      };
      for (const gw of gateways) assert.equal(await metric(gw, 'portico_gateway_usage_dropped_total'), '0');
      assert.equal(await metric(gateways[1], 'portico_gateway_usage_merge_dropped_total'), '0');
    } finally {
      for (const r of runs) if (r.child.exitCode === null) r.child.kill('SIGTERM');
      await Promise.all(runs.map((r) => r.exited));
      upstream.server.close();
      await db.drop();
    }
  },
);
