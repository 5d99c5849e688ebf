import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { keystoreImportCert } from '../../src/cli/commands/keystore.js';
import { trustStoreRoutes } from '../../src/control-plane/admin/trust-store/index.js';
import { devportalApiKeyRoutes } from '../../src/control-plane/devportal/api-keys/index.js';
import {
  decodeKey,
  generateKey,
  insertApi,
  insertApplication,
  insertSubscription,
  subscriber,
} from '../../src/control-plane/devportal/api-keys/test-support/api-key-fixtures.js';
import { createControlPlane, type ControlPlaneContext } from '../../src/control-plane/index.js';
import { adminAuth } from '../../src/control-plane/publisher/test-support/publisher-fixtures.js';
import { openStore, type Store } from '../../src/store/index.js';
import { apiKeyGatewayStack } from '../support/api-key-gateway-stack.js';
import { createHarness, type Harness } from '../support/control-plane-harness.js';
import { testDialects } from '../support/dialects.js';
import { tempHome } from '../support/portico-process.js';
import { selfSignedKey } from '../support/self-signed.js';

const CERTS = '/api/am/admin/v4/trust-store/certificates';
const MENU = '/pizzashack/1.0.0/menu';
const SIGNING_ALIAS = 'gateway_certificate_alias';

/** A second control plane on the same store whose API keys are signed by another key (alias = kid). */
async function controlPlaneWith(h: Harness, over: Partial<ControlPlaneContext>) {
  const cp = await createControlPlane({ ...h.ctx, ...over }, [devportalApiKeyRoutes]);
  await cp.app.ready();
  return { ...h, ctx: { ...h.ctx, ...over }, cp, app: cp.app };
}

/** Polls `probe` until it is true; returns the milliseconds it took, or fails after `limitMs`. */
async function within(limitMs: number, what: string, probe: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - start;
    if (Date.now() - start > limitMs) assert.fail(`${what}: not within ${limitMs} ms`);
    await sleep(20);
  }
}

async function stackWithKeys(store: Store) {
  const h = await createHarness(store, [devportalApiKeyRoutes, trustStoreRoutes], { pollIntervalMs: 200 });
  const s = await apiKeyGatewayStack(h, { apiKeySigningAlias: SIGNING_ALIAS });
  const alice = await subscriber(h, 'alice');
  const apiId = await insertApi(h.store, { endpoint: `${s.upstreamUrl}/backend` });
  const app = await insertApplication(h.store, 'alice', 'Pizza');
  await insertSubscription(h.store, app.id, apiId, 'Unlimited');
  await h.ctx.snapshots.rebuild();
  const signer = selfSignedKey('partner_signer', 'partner.example.com');
  const rotated = await controlPlaneWith(h, { apiKeySigner: signer });
  const key = await generateKey(rotated, alice, app.uuid);
  assert.equal(decodeKey(key).header.kid, 'partner_signer');
  const status = async (k = key) => (await s.call(MENU, { apikey: k })).status;
  return {
    h,
    s,
    signer,
    status,
    ownKey: await generateKey(h, alice, app.uuid),
    async close() {
      await rotated.cp.app.close();
      await s.close();
      await h.close();
    },
  };
}

for (const d of await testDialects()) {
  test(`live trust store on ${d.name}: a key of a new signer is refused, works once its cert is imported over REST, refused once deleted; no restart`, async () => {
    const t = await stackWithKeys(await d.open());
    try {
      assert.equal(await t.status(), 401, 'the new signer is not trusted yet');
      const added = await t.h.app.inject({
        method: 'POST',
        url: CERTS,
        headers: adminAuth,
        payload: { alias: 'partner_signer', certificate: t.signer.certificatePem },
      });
      assert.equal(added.statusCode, 201, added.body);
      const tookAdd = await within(
        1000,
        'import reaches the gateway',
        async () => (await t.status()) === 200,
      );
      assert.ok(tookAdd <= 1000, `took ${tookAdd} ms`);
      assert.equal(await t.status(t.ownKey), 200, 'the deployment signer is still trusted');

      const del = await t.h.app.inject({
        method: 'DELETE',
        url: `${CERTS}/partner_signer`,
        headers: adminAuth,
      });
      assert.equal(del.statusCode, 200, del.body);
      await within(1000, 'removal reaches the gateway', async () => (await t.status()) === 401);
    } finally {
      await t.close();
    }
  });
}

test('live trust store: `portico keystore import-cert` against a running deployment takes effect within a second', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-trust-'));
  const dbFile = join(dir, 'portico.db');
  const store = await openStore({ type: 'sqlite', url: dbFile });
  await store.migrate();
  const t = await stackWithKeys(store);
  const home = tempHome(`[database.apim_db]\ntype = "sqlite"\nurl = ${JSON.stringify(dbFile)}\n`);
  try {
    assert.equal(await t.status(), 401);
    const certFile = join(dir, 'partner.crt');
    // DER on disk, as `keytool -exportcert` writes it by default.
    writeFileSync(certFile, t.signer.certificate.raw);
    const log = console.log;
    console.log = () => {};
    try {
      await keystoreImportCert({ home, alias: 'partner_signer', file: certFile });
    } finally {
      console.log = log;
    }
    // The CLI wrote the shared store (another connection, as another process would); the feed polls it.
    await within(1000, 'CLI import reaches the gateway', async () => (await t.status()) === 200);
    assert.ok(t.h.ctx.trust.get('partner_signer'), 'the control plane sees it too');

    // A second import of the same alias is refused like the REST API refuses it.
    await assert.rejects(
      keystoreImportCert({ home, alias: 'PARTNER_SIGNER', file: certFile }),
      (err: Error) => /Trust store alias already exists/.test(err.message),
    );
  } finally {
    await t.close();
  }
});

test('live trust store: removing the API-key signing alias warns on both /health payloads and refuses its keys; restoring clears it', async () => {
  const [sqlite] = await testDialects();
  const t = await stackWithKeys(await sqlite!.open());
  try {
    const cpHealth = async () => (await t.h.app.inject({ method: 'GET', url: '/health' })).json();
    const gwHealth = async () => JSON.parse((await t.s.call('/health')).body);
    assert.deepEqual((await cpHealth()).warnings, []);
    assert.deepEqual((await gwHealth()).warnings, []);
    assert.equal(await t.status(t.ownKey), 200);

    const del = await t.h.app.inject({
      method: 'DELETE',
      url: `${CERTS}/${SIGNING_ALIAS}`,
      headers: adminAuth,
    });
    assert.equal(del.statusCode, 200);
    const cp = await cpHealth();
    assert.equal(cp.status, 'UP', 'existing fields stay');
    assert.equal(cp.database, 'UP');
    assert.match(
      cp.warnings.join('\n'),
      /API-key signing alias "gateway_certificate_alias" is not in the trust store/,
    );
    await within(1000, 'gateway health warns', async () => (await gwHealth()).warnings.length === 1);
    const gw = await gwHealth();
    assert.equal(gw.status, 'UP');
    assert.match(
      gw.warnings[0],
      /API-key signing alias "gateway_certificate_alias" is not in the served trust store/,
    );
    assert.equal(await t.status(t.ownKey), 401, 'its keys are refused meanwhile');

    const back = await t.h.app.inject({
      method: 'POST',
      url: CERTS,
      headers: adminAuth,
      payload: { alias: SIGNING_ALIAS, certificate: t.h.primaryKey.certificatePem },
    });
    assert.equal(back.statusCode, 201, back.body);
    assert.deepEqual((await cpHealth()).warnings, []);
    await within(1000, 'gateway warning clears', async () => (await gwHealth()).warnings.length === 0);
    assert.equal(await t.status(t.ownKey), 200);
  } finally {
    await t.close();
  }
});
