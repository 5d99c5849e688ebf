import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { initHome, loadHomeConfig, resolveHome } from '../../src/cli/home.js';
import { startAllInOne, type RunningServer, type ServerMode } from '../../src/cli/server/start-all-in-one.js';
import { basic } from './control-plane-harness.js';
import { http, type HttpResult } from './http.js';
import { tempHome } from './portico-process.js';

export interface Stack {
  server: RunningServer;
  home: string;
  offset: number;
  /** https://localhost:<9443+offset> */
  cp: string;
  /** https://localhost:<8243+offset> */
  gw: string;
  adminPassword: string;
  /** A REST call to the control plane as `user` (default: admin). */
  rest(
    method: string,
    path: string,
    body?: unknown,
    user?: { username: string; password: string },
  ): Promise<HttpResult>;
  stop(): Promise<void>;
}

/** A port offset unlikely to collide with another test or a developer's running Portico. */
export function randomOffset(): number {
  return 2000 + 10 * Math.floor(Math.random() * 1500);
}

/**
 * The real server, in this process: a temp home, the production wiring (`startAllInOne`) with every route module,
 * the key manager, the gateway and the sample, on real ports shifted by a random offset.
 */
export async function startStack(opts: { toml?: string; mode?: ServerMode } = {}): Promise<Stack> {
  const offset = randomOffset();
  const dir = tempHome(`[server]\noffset = ${offset}\n${opts.toml ?? ''}`);
  const home = resolveHome(dir);
  initHome(home);
  const config = loadHomeConfig(home);
  const logger = pino({ level: process.env.PORTICO_TEST_LOG ?? 'silent' });
  const log = console.log;
  console.log = () => {}; // the generated admin password line
  let server: RunningServer;
  try {
    server = await startAllInOne(home, config, logger, opts.mode ?? 'all-in-one');
  } finally {
    console.log = log;
  }
  const adminPassword = readFileSync(join(dir, 'initial-admin-password'), 'utf8').trim();
  const cp = `https://localhost:${9443 + offset}`;
  return {
    server,
    home: dir,
    offset,
    cp,
    gw: `https://localhost:${8243 + offset}`,
    adminPassword,
    rest(method, path, body, user) {
      const u = user ?? { username: 'admin', password: adminPassword };
      return http(`${cp}${path}`, {
        method,
        headers: { authorization: basic(u.username, u.password) },
        ...(body !== undefined ? { body } : {}),
      });
    },
    stop: () => server.stop(),
  };
}

/** Takes a created API live on the stack's gateway: a first revision, deployed to `Default`, then Publish. */
export async function deployAndPublish(stack: Stack, apiId: string): Promise<void> {
  const expect = (r: HttpResult, status: number, what: string) => {
    if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.text}`);
  };
  const rev = await stack.rest('POST', `/api/am/publisher/v4/apis/${apiId}/revisions`, {
    description: 'first',
  });
  expect(rev, 201, 'create revision');
  const dep = await stack.rest(
    'POST',
    `/api/am/publisher/v4/apis/${apiId}/deploy-revision?revisionId=${rev.json().id}`,
    [{ name: 'Default', vhost: 'localhost', displayOnDevportal: true }],
  );
  expect(dep, 201, 'deploy revision');
  const pub = await stack.rest(
    'POST',
    `/api/am/publisher/v4/apis/change-lifecycle?apiId=${apiId}&action=Publish`,
  );
  expect(pub, 200, 'publish');
}
