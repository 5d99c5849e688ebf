import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, Socket, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import pg from 'pg';
import { basic } from './control-plane-harness.js';
import { pgUrl } from './dialects.js';
import { http } from './http.js';
import { runPortico, type PorticoRun } from './portico-process.js';

/** A database of its own on the test PostgreSQL, dropped at the end. */
export async function freshDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await c.end();
    },
  };
}

/** Writes `<dir>/conf/deployment.toml` for a control plane or a gateway of one scaled-out deployment. */
export function writeHome(
  dir: string,
  o: {
    offset: number;
    dbUrl: string;
    password: string;
    redisUrl: string;
    cpUrls?: string[];
    poll?: number;
    /** `[apim.gateway] workers` and `expected_gateways`, when the test sets them. */
    workers?: number;
    expectedGateways?: number;
    /** Deploy the PizzaShack sample on the first start (off unless asked). */
    sample?: boolean;
    /** More TOML sections, appended as they are (e.g. `[analytics]` settings). */
    extraToml?: string;
  },
): string {
  mkdirSync(join(dir, 'conf'), { recursive: true });
  const lines = [
    '[server]',
    `offset = ${o.offset}`,
    '[super_admin]',
    `password = "${o.password}"`,
    '[database.apim_db]',
    'type = "postgres"',
    `url = "${o.dbUrl}"`,
    '[event_hub]',
    'type = "redis"',
    `redis_url = "${o.redisUrl}"`,
    '[apim.sample]',
    `deploy_on_first_start = ${o.sample ?? false}`,
    '[apim.gateway]',
    'sync_username = "admin"',
    `sync_password = "${o.password}"`,
    `sync_poll_interval = ${o.poll ?? 30}`,
    'heartbeat_interval = 1',
  ];
  if (o.cpUrls) lines.push(`control_plane_urls = [${o.cpUrls.map((u) => `"${u}"`).join(', ')}]`);
  if (o.workers !== undefined) lines.push(`workers = ${o.workers}`);
  if (o.expectedGateways !== undefined) lines.push(`expected_gateways = ${o.expectedGateways}`);
  if (o.extraToml) lines.push(o.extraToml);
  writeFileSync(join(dir, 'conf', 'deployment.toml'), [...lines, ''].join('\n'));
  return dir;
}

/** A gateway home sharing the control plane's keystore and trust store (copied, as operators do). */
export function gatewayHome(cpHome: string, dir: string, o: Parameters<typeof writeHome>[1]): string {
  cpSync(join(cpHome, 'resources'), join(dir, 'resources'), { recursive: true });
  return writeHome(dir, o);
}

/** Waits for `text` on the process's stdout or stderr (where the logs go). */
export async function waitForLine(run: PorticoRun, text: string, timeoutMs = 45_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!run.stdout().includes(text) && !run.stderr().includes(text)) {
    if (run.child.exitCode !== null) throw new Error(`exited ${run.child.exitCode}: ${run.stderr()}`);
    if (Date.now() > end) throw new Error(`no "${text}" in ${timeoutMs} ms: ${run.stdout()} ${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function stop(run: PorticoRun, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill(signal);
  await run.exited;
}

/** An upstream answering 200 `{"ok":true}` on loopback. */
export async function echoUpstream(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, server };
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A redis-server of the test's own (never the shared one), which the test may kill. */
export async function ownRedis(
  port: number,
): Promise<{ url: string; child: ChildProcess; kill(): Promise<void> }> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  let spawnError: Error | null = null;
  child.on('error', (err) => (spawnError = err));
  const exited = new Promise((r) => {
    child.on('exit', r);
    child.on('error', r);
  });
  const url = `redis://127.0.0.1:${port}`;
  const end = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const sock = new Socket();
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
      sock.connect(port, '127.0.0.1');
    });
    if (up) break;
    if (spawnError)
      throw new Error(`redis-server cannot be run (needed by this test): ${String(spawnError)}`);
    if (child.exitCode !== null || Date.now() > end) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Creates the Echo API (API-key secured, upstream `upstreamUrl`), deploys and publishes it, and an application
 * subscribed to it. Returns a function issuing API keys and one revoking them.
 */
export async function echoApiWithKeys(cp: string, password: string, upstreamUrl: string) {
  const auth = { authorization: basic('admin', password) };
  const rest = async (path: string, body: unknown, status: number) => {
    const r = await http(`${cp}${path}`, { method: 'POST', headers: auth, body });
    assert.equal(r.status, status, `${path}: ${r.text}`);
    return r.text === '' ? {} : r.json();
  };
  const api = await rest(
    '/api/am/publisher/v4/apis',
    {
      name: 'Echo',
      context: '/echo',
      version: '1.0.0',
      policies: ['Unlimited'],
      securityScheme: ['api_key'],
      endpointConfig: { endpoint_type: 'http', production_endpoints: { url: upstreamUrl } },
      operations: [{ target: '/items', verb: 'GET' }],
    },
    201,
  );
  const rev = await rest(`/api/am/publisher/v4/apis/${api.id}/revisions`, { description: 'first' }, 201);
  await rest(
    `/api/am/publisher/v4/apis/${api.id}/deploy-revision?revisionId=${rev.id}`,
    [{ name: 'Default', vhost: 'localhost', displayOnDevportal: true }],
    201,
  );
  await rest(`/api/am/publisher/v4/apis/change-lifecycle?apiId=${api.id}&action=Publish`, undefined, 200);
  const app = await rest(
    '/api/am/devportal/v3/applications',
    { name: 'EchoApp', throttlingPolicy: 'Unlimited' },
    201,
  );
  const appId = app.applicationId as string;
  await rest(
    '/api/am/devportal/v3/subscriptions',
    { applicationId: appId, apiId: api.id, throttlingPolicy: 'Unlimited' },
    201,
  );
  const keys = `/api/am/devportal/v3/applications/${appId}/api-keys/PRODUCTION`;
  return {
    issue: async (at = cp) =>
      (await http(`${at}${keys}/generate`, { headers: auth, body: { validityPeriod: 3600 } })).json()
        .apikey as string,
    revoke: async (apikey: string, at = cp) => {
      const r = await http(`${at}${keys}/revoke`, { headers: auth, body: { apikey } });
      assert.equal(r.status, 200, r.text);
    },
  };
}

/** `GET <gateway>/echo/1.0.0/items` with an API key: the status. */
export const callEcho = async (gw: string, apikey: string): Promise<number> =>
  (await http(`${gw}/echo/1.0.0/items`, { headers: { apikey } })).status;

/** A control plane and two gateway hosts of one deployment, started by {@link startTwoGatewayDeployment}. */
export interface TwoGatewayDeployment {
  cp: PorticoRun;
  gw1: PorticoRun;
  gw2: PorticoRun;
  /** Every process started (stopped by `stopAll`). */
  runs: PorticoRun[];
  /** The control plane's REST base and the two gateways' HTTPS bases. */
  cpUrl: string;
  gateways: [string, string];
  stopAll(): Promise<void>;
}

/**
 * Writes the control plane's home under `root/cp` (offset `o.offset`), starts it, then two gateway hosts: one on
 * the control plane's home, one on a copy of it (same keystores, as operators copy them) at offset + 1. Processes
 * started before a failure are stopped before it is rethrown.
 */
export async function startTwoGatewayDeployment(
  root: string,
  o: Omit<Parameters<typeof writeHome>[1], 'cpUrls'>,
): Promise<TwoGatewayDeployment> {
  const cpUrl = `https://localhost:${9443 + o.offset}`;
  const settings = { ...o, cpUrls: [cpUrl] };
  const cpHome = writeHome(join(root, 'cp'), settings);
  const runs: PorticoRun[] = [];
  const stopAll = async () => {
    for (const r of runs) if (r.child.exitCode === null) r.child.kill('SIGTERM');
    await Promise.all(runs.map((r) => r.exited));
  };
  try {
    const cp = runPortico(['control-plane', '--home', cpHome]);
    runs.push(cp);
    await waitForLine(cp, 'Portico control plane ready');
    const gw2Home = join(root, 'gw2');
    cpSync(cpHome, gw2Home, { recursive: true });
    writeHome(gw2Home, { ...settings, offset: o.offset + 1 });
    const gw1 = runPortico(['gateway', '--home', cpHome]);
    const gw2 = runPortico(['gateway', '--home', gw2Home]);
    runs.push(gw1, gw2);
    await Promise.all([waitForLine(gw1, 'Portico gateway ready'), waitForLine(gw2, 'Portico gateway ready')]);
    const gateways: [string, string] = [
      `https://localhost:${8243 + o.offset}`,
      `https://localhost:${8243 + o.offset + 1}`,
    ];
    return { cp, gw1, gw2, runs, cpUrl, gateways, stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
