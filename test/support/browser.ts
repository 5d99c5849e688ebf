import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { basic } from './control-plane-harness.js';
import { http, type HttpResult } from './http.js';
import { startPortico, tempHome } from './portico-process.js';

const ROOT = new URL('../../', import.meta.url).pathname;
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/** Chromium flags for this machine's closed network (see stack.md §10 and the machine notes). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = 0;
  for (const e of readdirSync(path)) max = Math.max(max, newestMtime(join(path, e)));
  return max;
}

/** Builds web/dist with Vite when it is missing or older than the UI sources. */
export function ensureWebBuilt(): void {
  const index = join(ROOT, 'web', 'dist', 'index.html');
  const sources = Math.max(
    newestMtime(join(ROOT, 'web', 'src')),
    newestMtime(join(ROOT, 'web', 'index.html')),
    newestMtime(join(ROOT, 'web', 'vite.config.ts')),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', 'web', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

/** Headless Debian Chromium driven by playwright-core. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.PORTICO_TEST_CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** A fresh context (own cookies) accepting Portico's self-signed certificate. */
export async function newContext(browser: Browser, width = 1280, height = 900): Promise<BrowserContext> {
  return browser.newContext({ ignoreHTTPSErrors: true, viewport: { width, height } });
}

/** Full-page screenshot to test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

let axeSource: string | null = null;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core in the page; returns the serious and critical violations (none expected). */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // The page's CSP forbids injected <script> tags (addScriptTag); evaluation through the DevTools protocol is not
  // subject to it, so axe is loaded that way and the CSP stays enforced for the app itself.
  axeSource ??= readFileSync(AXE, 'utf8');
  await page.evaluate(axeSource);
  const result = (await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    return axe.run();
  })) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A readable summary of violations for an assertion message. */
export function describeViolations(v: readonly AxeViolation[]): string {
  return v
    .map(
      (x) =>
        `${x.impact} ${x.id}: ${x.help}\n  ${x.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('\n  ')}`,
    )
    .join('\n');
}

/** Screenshots `page` as `name` and fails on any serious or critical axe violation (every UI test's check). */
export async function assertAccessible(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  const v = await seriousA11yViolations(page);
  assert.deepEqual(v, [], describeViolations(v));
}

/**
 * deployment.toml of the UI tests: ports + 500 (9943 / 8743), and no automatic sample, so the Publisher's
 * DEPLOY SAMPLE API button is what deploys it.
 */
export const UI_TOML = '[server]\noffset = 500\n\n[apim.sample]\ndeploy_on_first_start = false\n';

/**
 * Ports of a Portico started with `[server] offset = 500` (9443/8243 + 500). {@link startUiPortico} may pick another
 * offset when these are taken: use its `urls`.
 */
export const UI_URLS = {
  controlPlane: 'https://localhost:9943',
  gateway: 'https://localhost:8743',
} as const;

/** Signs in through the form a portal shows to visitors (`/devportal/sign-in`, or any protected page). */
export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(username, { exact: true }).first().waitFor();
}

/** Collects Content-Security-Policy violations and uncaught page errors (both must stay empty). */
export function watchPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text()))
      problems.push(`csp: ${m.text()}`);
  });
  return problems;
}

/** Whether `port` can be bound on all interfaces now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A `[server] offset` whose four ports (9443/9763/8243/8280 + offset) are free: 500 when it is (the ports the
 * screenshots and docs name), else another one, so UI tests of several checkouts can run side by side.
 */
async function freeOffset(): Promise<number> {
  for (let i = 0; i < 40; i++) {
    const offset = i === 0 ? 500 : 500 + 20 * Math.floor(1 + Math.random() * 2000);
    const ports = [9443, 9763, 8243, 8280].map((p) => p + offset);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return offset;
  }
  throw new Error('no free [server] offset for the UI test');
}

/** A running all-in-one Portico with a signed-in (or not) Chromium page: what every UI test starts from. */
export interface UiPortico {
  home: string;
  /** The initial admin password. */
  password: string;
  urls: { controlPlane: string; gateway: string };
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** CSP violations and page errors of `page` (must stay empty). */
  problems: string[];
  /** A REST call to the control plane as admin (HTTP Basic). */
  rest(path: string, opts?: { method?: string; body?: unknown }): Promise<HttpResult>;
  /** Closes Chromium and stops Portico. */
  stop(): Promise<void>;
}

/**
 * Starts what a UI test needs: builds web/dist if stale, a temp home with {@link UI_TOML} (at a free offset) plus
 * `toml` (more sections; not `[server]` or `[apim.sample]`), `portico start`, Chromium, one context and page that
 * accept Portico's certificate. Options: `signIn` (a path, e.g. `/devportal/sign-in`: signs in as admin there),
 * `acceptDialogs` (OK every `confirm`), `clipboard` (clipboard permissions for the control-plane origin).
 * @example const ui = await startUiPortico({ signIn: '/devportal/sign-in' }); after(() => ui?.stop());
 */
export async function startUiPortico(
  opts: { toml?: string; signIn?: string; acceptDialogs?: boolean; clipboard?: boolean } = {},
): Promise<UiPortico> {
  ensureWebBuilt();
  const offset = await freeOffset();
  const home = tempHome(UI_TOML.replace('offset = 500', `offset = ${offset}`) + (opts.toml ?? ''));
  const portico = await startPortico(home);
  const password = readFileSync(join(home, 'initial-admin-password'), 'utf8').trim();
  const urls = {
    controlPlane: `https://localhost:${9443 + offset}`,
    gateway: `https://localhost:${8243 + offset}`,
  };
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const context = await newContext(browser);
    if (opts.clipboard) {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: urls.controlPlane });
    }
    const page = await context.newPage();
    if (opts.acceptDialogs) page.on('dialog', (d) => void d.accept());
    const problems = watchPageProblems(page);
    if (opts.signIn) await signIn(page, `${urls.controlPlane}${opts.signIn}`, 'admin', password);
    const b = browser;
    return {
      home,
      password,
      urls,
      browser: b,
      context,
      page,
      problems,
      rest: (path, o = {}) =>
        http(`${urls.controlPlane}${path}`, { ...o, headers: { authorization: basic('admin', password) } }),
      async stop() {
        await b.close();
        await portico.stop();
      },
    };
  } catch (err) {
    await browser?.close();
    await portico.stop();
    throw err;
  }
}
