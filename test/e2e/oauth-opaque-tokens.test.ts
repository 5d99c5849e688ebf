import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { basic } from '../support/control-plane-harness.js';
import { http, waitFor } from '../support/http.js';
import { runPortico, type PorticoRun } from '../support/portico-process.js';
import { freshDatabase, stop, waitForLine, writeHome } from '../support/scaled-deployment.js';
import { randomOffset } from '../support/stack.js';

const redisUrl = process.env.PORTICO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SAMPLES = 20;

let firstProbeHits = 0;

/** Polls `probe` every 2 ms until it returns `want`; the elapsed milliseconds, or Infinity after `limitMs`. */
async function timeUntil(probe: () => Promise<number>, want: number, limitMs: number): Promise<number> {
  const t0 = performance.now();
  for (let attempt = 0; ; attempt++) {
    if ((await probe()) === want) {
      if (attempt === 0) firstProbeHits++;
      return performance.now() - t0;
    }
    if (performance.now() - t0 > limitMs) return Infinity;
    await new Promise((r) => setTimeout(r, 2));
  }
}

const summary = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(1);
  return `median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${s.at(-1)!.toFixed(1)} ms`;
};

test(
  'OAUTH application, scaled out (control plane + gateway processes, PostgreSQL, Redis): an opaque client_credentials token gets 200 at the gateway and 401 within 1 s of /oauth2/revoke; a JWT application is unaffected',
  { timeout: 180_000 },
  async () => {
    const db = await freshDatabase('portico_opaque');
    const off = randomOffset();
    const pw = `pw-${randomBytes(8).toString('hex')}`;
    const root = mkdtempSync(join(tmpdir(), 'portico-opaque-'));
    const CP = `https://localhost:${9443 + off}`;
    const GW = `https://localhost:${8243 + off}`;
    const cpHome = writeHome(join(root, 'cp'), {
      offset: off,
      dbUrl: db.url,
      password: pw,
      redisUrl,
      cpUrls: [CP],
      sample: true,
    });
    const runs: PorticoRun[] = [];
    try {
      const cp = runPortico(['control-plane', '--home', cpHome]);
      runs.push(cp);
      await waitForLine(cp, 'Portico control plane ready');
      const gw = runPortico(['gateway', '--home', cpHome]);
      runs.push(gw);
      await waitForLine(gw, 'Portico gateway ready');

      const auth = { authorization: basic('admin', pw) };
      const rest = async (path: string, body: unknown, status: number) => {
        const r = await http(`${CP}${path}`, { method: 'POST', headers: auth, body });
        assert.equal(r.status, status, `${path}: ${r.text}`);
        return r.json();
      };
      const apis = await http(`${CP}/api/am/devportal/v3/apis`);
      const apiId = apis.json().list.find((a: { name: string }) => a.name === 'PizzaShackAPI').id as string;
      const appWithKeys = async (name: string, tokenType: 'JWT' | 'OAUTH') => {
        const app = await rest(
          '/api/am/devportal/v3/applications',
          { name, throttlingPolicy: 'Unlimited', tokenType },
          201,
        );
        assert.equal(app.tokenType, tokenType);
        await rest(
          '/api/am/devportal/v3/subscriptions',
          { applicationId: app.applicationId, apiId, throttlingPolicy: 'Gold' },
          201,
        );
        const keys = await rest(
          `/api/am/devportal/v3/applications/${app.applicationId}/generate-keys`,
          { keyType: 'PRODUCTION', grantTypesToBeSupported: ['client_credentials'] },
          200,
        );
        return {
          id: keys.consumerKey as string,
          header: { authorization: basic(keys.consumerKey, keys.consumerSecret) },
        };
      };
      const legacy = await appWithKeys('Legacy', 'OAUTH');
      const modern = await appWithKeys('Modern', 'JWT');
      const tokenOf = async (client: { header: Record<string, string> }) => {
        const r = await http(`${CP}/oauth2/token`, {
          headers: client.header,
          form: { grant_type: 'client_credentials' },
        });
        assert.equal(r.status, 200, r.text);
        return r.json() as { access_token: string; expires_in: number };
      };
      const menu = async (token: string) =>
        (await http(`${GW}/pizzashack/1.0.0/menu`, { headers: { authorization: `Bearer ${token}` } })).status;

      // The JWT application: a JWT, 200 (the first token also waits for the subscription to reach the gateway).
      const jwt = (await tokenOf(modern)).access_token;
      assert.equal(jwt.split('.').length, 3);
      await waitFor(async () => (await menu(jwt)) === 200, 10_000);

      const first = await tokenOf(legacy);
      assert.match(first.access_token, /^[A-Za-z0-9_-]{43}$/, 'opaque, not a JWT');
      assert.equal(first.expires_in, 3600);
      await waitFor(async () => (await menu(first.access_token)) === 200, 10_000);

      const issueToFirst200: number[] = [];
      const revokeTo401: number[] = [];
      let immediate = 0;
      for (let i = 0; i < SAMPLES; i++) {
        const t0 = performance.now();
        const { access_token: tok } = await tokenOf(legacy);
        const hitsBefore = firstProbeHits;
        const untilOk = await timeUntil(() => menu(tok), 200, 5000);
        assert.notEqual(untilOk, Infinity, 'a new opaque token reaches the gateway');
        issueToFirst200.push(performance.now() - t0);
        if (firstProbeHits > hitsBefore) immediate++;

        const mutated = `${tok.slice(0, 10)}${tok[10] === 'A' ? 'B' : 'A'}${tok.slice(11)}`;
        const bad = await http(`${GW}/pizzashack/1.0.0/menu`, {
          headers: { authorization: `Bearer ${mutated}` },
        });
        assert.equal(bad.status, 401);
        assert.equal(bad.json().code, '900901');

        const rv = await http(`${CP}/oauth2/revoke`, { headers: legacy.header, form: { token: tok } });
        assert.equal(rv.status, 200, rv.text);
        const t1 = performance.now();
        const until401 = await timeUntil(() => menu(tok), 401, 1000);
        assert.ok(until401 < 1000, `revoked token refused within 1 s (took ${until401} ms)`);
        revokeTo401.push(performance.now() - t1);
        const refused = await http(`${GW}/pizzashack/1.0.0/menu`, {
          headers: { authorization: `Bearer ${tok}` },
        });
        assert.equal(refused.json().code, '900901');
      }
      console.log(
        `# opaque token, issue (token request) → first 200 at the gateway: ${summary(issueToFirst200)}`,
      );
      console.log(
        `# opaque token: the call right after the token response got 200 for ${immediate} of ${SAMPLES}`,
      );
      console.log(`# opaque token, /oauth2/revoke answered → 401 at the gateway: ${summary(revokeTo401)}`);

      // The same measure for JWT revocations (the existing revocation path) as a baseline on this machine.
      const jwtRevokeTo401: number[] = [];
      for (let i = 0; i < 5; i++) {
        const { access_token: tok } = await tokenOf(modern);
        await waitFor(async () => (await menu(tok)) === 200, 5000);
        const rv = await http(`${CP}/oauth2/revoke`, { headers: modern.header, form: { token: tok } });
        assert.equal(rv.status, 200, rv.text);
        const t1 = performance.now();
        assert.ok((await timeUntil(() => menu(tok), 401, 1000)) < 1000, 'revoked JWT refused within 1 s');
        jwtRevokeTo401.push(performance.now() - t1);
      }
      console.log(
        `# JWT (baseline), /oauth2/revoke answered → 401 at the gateway: ${summary(jwtRevokeTo401)}`,
      );

      // Introspection on the control plane agrees; the JWT application's token still works.
      const intro = await http(`${CP}/oauth2/introspect`, {
        headers: auth,
        form: { token: first.access_token },
      });
      assert.equal(intro.status, 200);
      assert.equal(intro.json().active, true);
      assert.equal(intro.json().client_id, legacy.id);
      assert.equal(await menu(first.access_token), 200);
      assert.equal(await menu(jwt), 200);
    } finally {
      for (const r of runs.reverse()) await stop(r);
      await db.drop();
    }
  },
);
