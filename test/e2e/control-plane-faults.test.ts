import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basic } from '../support/control-plane-harness.js';
import { http, type HttpResult } from '../support/http.js';
import { runPortico, type PorticoRun } from '../support/portico-process.js';
import { freshDatabase, ready, stopAll, writeHome } from '../support/control-plane-process.js';
import { randomOffset } from '../support/stack.js';

/** A closed loopback port: Redis is "down" from the first second. */
const DEAD_REDIS = 'redis://127.0.0.1:1';
const DEV = '/api/am/devportal/v3';

test(
  'a control plane starts without Redis and its writes answer in normal time',
  { timeout: 120_000 },
  async () => {
    const db = await freshDatabase();
    const off = randomOffset();
    const pw = `pw-${randomBytes(8).toString('hex')}`;
    const home = writeHome(mkdtempSync(join(tmpdir(), 'portico-noredis-')), off, db.url, pw, DEAD_REDIS);
    const cp = runPortico(['control-plane', '--home', home]);
    try {
      await ready(cp);
      assert.match(cp.stderr(), /Redis unreachable/, 'Redis being down is said once, loudly');
      const CP = `https://localhost:${9443 + off}`;
      const auth = { authorization: basic('admin', pw) };
      const timed = async (what: string, call: () => Promise<HttpResult>, status: number) => {
        const started = Date.now();
        const r = await call();
        const ms = Date.now() - started;
        assert.equal(r.status, status, `${what}: ${r.text}`);
        assert.ok(ms < 3000, `${what} took ${ms} ms (it hung ~15 s on ioredis retries before)`);
        return r;
      };
      const created = await timed(
        'create an application',
        () =>
          http(`${CP}${DEV}/applications`, {
            headers: auth,
            body: { name: 'NoRedis', throttlingPolicy: 'Unlimited' },
          }),
        201,
      );
      const app = created.json().applicationId as string;
      const keys = await timed(
        'generate keys',
        () =>
          http(`${CP}${DEV}/applications/${app}/generate-keys`, {
            headers: auth,
            body: {
              keyType: 'PRODUCTION',
              grantTypesToBeSupported: ['client_credentials'],
              validityTime: 3600,
            },
          }),
        200,
      );
      const { consumerKey, consumerSecret } = keys.json();
      const token = keys.json().token.accessToken as string;
      await timed(
        'revoke a token',
        () =>
          http(`${CP}/oauth2/revoke`, {
            headers: { authorization: basic(consumerKey, consumerSecret) },
            form: { token },
          }),
        200,
      );
      // Every write is in the change log gateways follow, Redis or not.
      const changes = await http(`${CP}/internal/data/v1/changes?after=0`, { headers: auth });
      assert.equal(changes.status, 200);
      const kinds = (changes.json().deltas as { kind: string }[]).map((d) => d.kind);
      for (const kind of ['application', 'keymapping', 'revocation']) assert.ok(kinds.includes(kind), kind);
    } finally {
      await stopAll([cp]);
      await db.drop();
    }
  },
);

test(
  'two control planes on different ports share one issuer: tokens and revocations work across them',
  { timeout: 120_000 },
  async () => {
    const db = await freshDatabase();
    const off = randomOffset();
    const pw = `pw-${randomBytes(8).toString('hex')}`;
    const redisUrl = process.env.PORTICO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const root = mkdtempSync(join(tmpdir(), 'portico-two-cp-'));
    const homeA = writeHome(join(root, 'a'), off, db.url, pw, redisUrl);
    const runs: PorticoRun[] = [];
    try {
      const a = runPortico(['control-plane', '--home', homeA]);
      runs.push(a);
      await ready(a);
      // Control planes of one deployment share the keystore (copied, as for a WSO2 cluster); B listens elsewhere.
      const homeB = join(root, 'b');
      cpSync(homeA, homeB, { recursive: true });
      writeHome(homeB, off + 1, db.url, pw, redisUrl);
      const b = runPortico(['control-plane', '--home', homeB]);
      runs.push(b);
      await ready(b);
      const A = `https://localhost:${9443 + off}`;
      const B = `https://localhost:${9443 + off + 1}`;
      const auth = { authorization: basic('admin', pw) };
      const app = (
        await http(`${A}${DEV}/applications`, {
          headers: auth,
          body: { name: 'Two', throttlingPolicy: 'Unlimited' },
        })
      ).json().applicationId as string;
      const keys = (
        await http(`${A}${DEV}/applications/${app}/generate-keys`, {
          headers: auth,
          body: {
            keyType: 'PRODUCTION',
            grantTypesToBeSupported: ['client_credentials'],
            validityTime: 3600,
          },
        })
      ).json();
      const client = { authorization: basic(keys.consumerKey, keys.consumerSecret) };
      const fromA = (
        await http(`${A}/oauth2/token`, { headers: client, form: { grant_type: 'client_credentials' } })
      ).json().access_token as string;
      const fromB = (
        await http(`${B}/oauth2/token`, { headers: client, form: { grant_type: 'client_credentials' } })
      ).json().access_token as string;
      const iss = (t: string) =>
        JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()).iss as string;
      assert.equal(
        iss(fromA),
        `https://localhost:${9443 + off}/oauth2/token`,
        'the first control plane set it',
      );
      assert.equal(iss(fromB), iss(fromA), 'one issuer per deployment, not per process');
      const introspect = (at: string, token: string) =>
        http(`${at}/oauth2/introspect`, { headers: auth, form: { token } }).then(
          (r) => r.json().active as boolean,
        );
      assert.equal(await introspect(B, fromA), true, 'B accepts A’s token');
      assert.equal(await introspect(A, fromB), true, 'A accepts B’s token');
      const revoked = await http(`${B}/oauth2/revoke`, { headers: client, form: { token: fromA } });
      assert.equal(revoked.status, 200);
      assert.ok(Number(revoked.headers['x-portico-change-version']) > 0, 'the revocation really happened');
      assert.equal(await introspect(A, fromA), false, 'revoked at B, refused at A');
    } finally {
      await stopAll(runs);
      await db.drop();
    }
  },
);

test(
  'ten concurrent first starts of two control planes on a fresh database all come up',
  { timeout: 300_000 },
  async () => {
    const redisUrl = process.env.PORTICO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    for (let trial = 0; trial < 10; trial++) {
      const db = await freshDatabase();
      const off = randomOffset();
      const pw = `pw-${randomBytes(8).toString('hex')}`;
      const root = mkdtempSync(join(tmpdir(), 'portico-race-'));
      const runs = [0, 1].map((i) =>
        runPortico([
          'control-plane',
          '--home',
          writeHome(join(root, String(i)), off + i, db.url, pw, redisUrl),
        ]),
      );
      try {
        await Promise.all(runs.map((r) => ready(r)));
        const users = await http(`https://localhost:${9443 + off + 1}/api/am/admin/v4/users`, {
          headers: { authorization: basic('admin', pw) },
        });
        assert.equal(users.status, 200, `trial ${trial}`);
      } finally {
        await stopAll(runs);
        await db.drop();
      }
    }
  },
);
