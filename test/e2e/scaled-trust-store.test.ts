import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { basic } from '../support/control-plane-harness.js';
import { http } from '../support/http.js';
import { runPortico, type PorticoRun } from '../support/portico-process.js';
import {
  callEcho,
  echoApiWithKeys,
  echoUpstream,
  freshDatabase,
  waitForLine,
  writeHome,
} from '../support/scaled-deployment.js';
import { randomOffset } from '../support/stack.js';

const redisUrl = process.env.PORTICO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CERTS = '/api/am/admin/v4/trust-store/certificates';
const ALIAS = 'gateway_certificate_alias';

/** Polls until `probe` holds; fails after `ms`. Returns the milliseconds it took. */
async function within(ms: number, what: string, probe: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - start;
    assert.ok(Date.now() - start < ms, `${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// ADR 0007, scaled out: the trust store is the deployment's (PostgreSQL). A change made through one control plane
// reaches a gateway that follows another control plane, and that other control plane's signing-alias check.
test(
  'scaled out: a trust store change on control plane A reaches control plane B and the gateway following B',
  { timeout: 180_000 },
  async (t) => {
    const db = await freshDatabase('portico_ts');
    const off = randomOffset();
    const pw = `pw-${randomBytes(8).toString('hex')}`;
    const root = mkdtempSync(join(tmpdir(), 'portico-trust-'));
    const upstream = await echoUpstream();
    const runs: PorticoRun[] = [];
    const cpA = `https://localhost:${9443 + off}`;
    const cpB = `https://localhost:${9443 + off + 1}`;
    const gw = `https://localhost:${8243 + off + 2}`;
    try {
      const base = { dbUrl: db.url, password: pw, redisUrl };
      const homeA = writeHome(join(root, 'cpA'), { ...base, offset: off, cpUrls: [cpA] });
      const a = runPortico(['control-plane', '--home', homeA]);
      runs.push(a);
      await waitForLine(a, 'Portico control plane ready');
      // Control plane B and the gateway get copies of A's home (same keystores), as operators copy them.
      const homeB = join(root, 'cpB');
      cpSync(homeA, homeB, { recursive: true });
      writeHome(homeB, { ...base, offset: off + 1, cpUrls: [cpB] });
      const homeGw = join(root, 'gw');
      cpSync(homeA, homeGw, { recursive: true });
      writeHome(homeGw, { ...base, offset: off + 2, cpUrls: [cpB] });
      const b = runPortico(['control-plane', '--home', homeB]);
      runs.push(b);
      await waitForLine(b, 'Portico control plane ready');
      const g = runPortico(['gateway', '--home', homeGw]);
      runs.push(g);
      await waitForLine(g, 'Portico gateway ready');

      const keys = await echoApiWithKeys(cpA, pw, upstream.url);
      const key = await keys.issue();
      await within(10_000, 'the key works', async () => (await callEcho(gw, key)) === 200);
      const auth = { authorization: basic('admin', pw) };
      const warningsOf = async (url: string) => (await http(`${url}/health`)).json().warnings as string[];
      assert.deepEqual(await warningsOf(cpB), []);
      assert.deepEqual(await warningsOf(gw), []);

      const del = await http(`${cpA}${CERTS}/${ALIAS}`, { method: 'DELETE', headers: auth });
      assert.equal(del.status, 200, del.text);
      t.diagnostic(
        `refused via B after ${await within(1500, 'key refused', async () => (await callEcho(gw, key)) === 401)} ms`,
      );
      await within(1500, 'B warns', async () => (await warningsOf(cpB)).length === 1);
      await within(1500, 'gateway warns', async () => (await warningsOf(gw)).length === 1);
      const listB = await http(`${cpB}${CERTS}`, { headers: auth });
      assert.ok(
        !listB.json().list.some((e: { alias: string }) => e.alias === ALIAS),
        'B lists the same store',
      );

      const exported = runPortico(['keystore', 'export-cert', '--alias', ALIAS, '--home', homeA]);
      assert.equal(await exported.exited, 0, exported.stderr());
      const add = await http(`${cpA}${CERTS}`, {
        headers: auth,
        body: { alias: ALIAS, certificate: exported.stdout() },
      });
      assert.equal(add.status, 201, add.text);
      t.diagnostic(
        `accepted via B after ${await within(1500, 'key accepted', async () => (await callEcho(gw, key)) === 200)} ms`,
      );
      await within(1500, 'B warning clears', async () => (await warningsOf(cpB)).length === 0);
      await within(1500, 'gateway warning clears', async () => (await warningsOf(gw)).length === 0);
    } finally {
      for (const r of runs) if (r.child.exitCode === null) r.child.kill('SIGTERM');
      await Promise.all(runs.map((r) => r.exited));
      upstream.server.close();
      await db.drop();
    }
  },
);
