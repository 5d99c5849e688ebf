import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { basic } from '../support/control-plane-harness.js';
import { http, waitFor } from '../support/http.js';
import {
  freshDatabase,
  startTwoGatewayDeployment,
  type TwoGatewayDeployment,
} from '../support/scaled-deployment.js';
import { randomOffset } from '../support/stack.js';

const redisUrl = process.env.PORTICO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

test(
  'scaled out: a control plane on PostgreSQL + Redis and two gateway processes',
  { timeout: 180_000 },
  async () => {
    const db = await freshDatabase('portico_so');
    const off = randomOffset();
    const pw = `pw-${randomBytes(8).toString('hex')}`;
    const root = mkdtempSync(join(tmpdir(), 'portico-scaled-'));
    let deployment: TwoGatewayDeployment | undefined;
    try {
      deployment = await startTwoGatewayDeployment(root, {
        offset: off,
        dbUrl: db.url,
        password: pw,
        redisUrl,
        sample: true,
      });
      const { cp, gateways } = deployment;

      const CP = `https://localhost:${9443 + off}`;
      const auth = { authorization: basic('admin', pw) };
      const apps = await http(`${CP}/api/am/devportal/v3/applications`, { headers: auth });
      const app = apps
        .json()
        .list.find((a: { name: string }) => a.name === 'DefaultApplication').applicationId;
      const apis = await http(`${CP}/api/am/devportal/v3/apis`);
      const api = apis.json().list.find((a: { name: string }) => a.name === 'PizzaShackAPI').id;
      const sub = await http(`${CP}/api/am/devportal/v3/subscriptions`, {
        headers: auth,
        body: { applicationId: app, apiId: api, throttlingPolicy: 'Gold' },
      });
      assert.equal(sub.status, 201, sub.text);
      const keys = await http(`${CP}/api/am/devportal/v3/applications/${app}/generate-keys`, {
        headers: auth,
        body: { keyType: 'PRODUCTION', grantTypesToBeSupported: ['client_credentials'] },
      });
      assert.equal(keys.status, 200, keys.text);
      const token = keys.json().token.accessToken as string;
      const menu = (gw: string) =>
        http(`${gw}/pizzashack/1.0.0/menu`, { headers: { authorization: `Bearer ${token}` } });
      for (const gw of gateways) {
        await waitFor(async () => (await menu(gw)).status === 200, 5000);
        assert.equal((await menu(gw)).json().length, 10);
      }

      // A revocation reaches both gateways through Redis, well before the 30 s poll.
      const ck = keys.json().consumerKey as string;
      const cs = keys.json().consumerSecret as string;
      const rv = await http(`${CP}/oauth2/revoke`, {
        headers: { authorization: basic(ck, cs) },
        form: { token },
      });
      assert.equal(rv.status, 200);
      const t0 = Date.now();
      for (const gw of gateways) await waitFor(async () => (await menu(gw)).status === 401, 3000, 20);
      assert.ok(Date.now() - t0 < 3000, `revocation reached both gateways in ${Date.now() - t0} ms`);

      // The gateways keep serving from their snapshot when the control plane is down.
      const fresh = await http(`${CP}/oauth2/token`, {
        headers: { authorization: basic(ck, cs) },
        form: { grant_type: 'client_credentials' },
      });
      const token2 = fresh.json().access_token as string;
      await waitFor(
        async () =>
          (
            await http(`${gateways[0]}/pizzashack/1.0.0/menu`, {
              headers: { authorization: `Bearer ${token2}` },
            })
          ).status === 200,
        3000,
      );
      cp.child.kill('SIGTERM');
      await cp.exited;
      for (const gw of gateways) {
        const r = await http(`${gw}/pizzashack/1.0.0/menu`, {
          headers: { authorization: `Bearer ${token2}` },
        });
        // The token is still verified and the subscription found from the snapshot; the request then reaches for
        // the PizzaShack backend, which the control plane itself serves, so it is down too: 101503, not 401/403.
        assert.equal(r.status, 503, `${gw} still authenticates without the control plane`);
        assert.equal(r.json().code, '101503');
        const bad = await http(`${gw}/pizzashack/1.0.0/menu`, {
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(bad.json().code, '900901', 'the revoked token stays revoked');
      }
    } finally {
      await deployment?.stopAll();
      await db.drop();
    }
  },
);
