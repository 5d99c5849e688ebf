import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterStart, featureModules } from '../../src/cli/server/features.js';
import { webRoutes } from '../../src/control-plane/web/index.js';
import type { Logger } from 'pino';
import type { Store } from '../../src/store/index.js';
import { ADMIN, basic, createHarness, type Harness } from './control-plane-harness.js';
import { rawDb } from './raw-db.js';

/** Where the full harness says the PizzaShack backend lives (nothing listens there; no test calls it). */
export const SAMPLE_BACKEND_URL = 'http://127.0.0.1:9/am/sample/pizzashack/v1/api/';

/** Basic header of the harness admin. */
export const adminBasic = () => basic(ADMIN.username, ADMIN.password);

/**
 * A control plane with every route module of the production build (`featureModules`, as `portico start` wires
 * it), bearer tokens and sessions enabled and the PizzaShack sample deployed (`afterStart`). The web UI module is
 * pointed at a throw-away build with an `index.html`, so UI routes answer 200 whether or not `web/dist` exists.
 */
export async function fullHarness(
  store: Store,
  opts: { toml?: string; logger?: Logger } = {},
): Promise<Harness> {
  const dist = mkdtempSync(join(tmpdir(), 'portico-web-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Portico</title>');
  const modules = featureModules({ sampleBackendUrl: SAMPLE_BACKEND_URL });
  // featureModules ends with webRoutes(); replacing it with another webRoutes keeps the same routes (a wrong
  // index would register /devportal twice and Fastify would refuse to start).
  modules[modules.length - 1] = webRoutes({ distDir: dist });
  const h = await createHarness(store, modules, opts);
  await afterStart(h.ctx, h.cp, { sampleBackendUrl: SAMPLE_BACKEND_URL });
  return h;
}

/** The published PizzaShack sample's API id. */
export async function sampleApiId(h: Harness): Promise<string> {
  const res = await h.app.inject({ url: '/api/am/devportal/v3/apis' });
  assert.equal(res.statusCode, 200, res.body);
  const id = (res.json() as { list: { id: string }[] }).list[0]?.id;
  assert.ok(id, 'the sample API is published');
  return id;
}

/** Creates an application as the admin and returns its id. */
export async function createApplication(h: Harness, name: string): Promise<string> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/am/devportal/v3/applications',
    headers: { authorization: adminBasic() },
    payload: { name, throttlingPolicy: 'Unlimited' },
  });
  assert.equal(res.statusCode, 201, res.body);
  return (res.json() as { applicationId: string }).applicationId;
}

/** Every row of every table (sorted), to prove that a request wrote nothing. */
export async function dumpDatabase(store: Store): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const tables = await rawDb(store).introspection.getTables();
  for (const t of tables.map((x) => x.name).sort()) {
    const rows = await rawDb(store)
      .selectFrom(t as never)
      .selectAll()
      .execute();
    out[t] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}
