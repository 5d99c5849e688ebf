import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, FormData, request } from 'undici';
import { loadHomeConfig, resolveHome } from '../home.js';

/** How the project commands reach a running control plane (`--url`, `--user`, the password on stdin). */
export interface RemoteOptions {
  home?: string;
  url?: string;
  user?: string;
  passwordStdin?: boolean;
  insecure?: boolean;
}

/** An expected failure of a project command (unreachable server, a REST error): printed as one line. */
export class RemoteCallError extends Error {
  override readonly name = 'RemoteCallError';
}

const PUB = '/api/am/publisher/v4';
const DEV = '/api/am/devportal/v3';

/**
 * `portico api export`: writes the API's apictl project zip (GET /apis/export) to `--file` (default
 * `<name>_<version>.zip`). Like every project command it calls the REST API of a running Portico, as apictl does:
 * `--url` (default: this home's control plane, plain HTTP on loopback when enabled), as `--user` (default admin)
 * with the password read from stdin.
 */
export async function apiExport(
  o: RemoteOptions & {
    name: string;
    version: string;
    provider?: string;
    format?: string;
    preserveStatus?: boolean;
    file?: string;
  },
) {
  const q = new URLSearchParams({ name: o.name, version: o.version, format: o.format ?? 'YAML' });
  if (o.provider) q.set('providerName', o.provider);
  if (o.preserveStatus === false) q.set('preserveStatus', 'false');
  await download(o, `${PUB}/apis/export?${q}`, o.file ?? `${o.name}_${o.version}.zip`);
}

/** `portico api import --file F`: POST /apis/import; prints the imported API's id (and revision). */
export async function apiImport(
  o: RemoteOptions & {
    file: string;
    overwrite?: boolean;
    preserveProvider?: boolean;
    rotateRevision?: boolean;
  },
) {
  const q = new URLSearchParams({
    preserveProvider: String(o.preserveProvider !== false),
    overwrite: String(o.overwrite === true),
    rotateRevision: String(o.rotateRevision === true),
  });
  const body = await upload(o, `${PUB}/apis/import?${q}`, o.file);
  const r = body as { id: string; revision?: string };
  console.log(`imported API ${r.id}${r.revision ? ` (revision ${r.revision} deployed)` : ''}`);
}

/** `portico app export --name N --owner O [--with-keys]`: writes `<owner>_<name>.zip` (GET /applications/export). */
export async function appExport(
  o: RemoteOptions & { name: string; owner: string; withKeys?: boolean; format?: string; file?: string },
) {
  const q = new URLSearchParams({
    appName: o.name,
    appOwner: o.owner,
    withKeys: String(o.withKeys === true),
  });
  if (o.format) q.set('format', o.format);
  await download(o, `${DEV}/applications/export?${q}`, o.file ?? `${o.owner}_${o.name}.zip`);
}

/** `portico app import --file F`: POST /applications/import; prints the application and any skipped APIs. */
export async function appImport(
  o: RemoteOptions & {
    file: string;
    preserveOwner?: boolean;
    owner?: string;
    skipSubscriptions?: boolean;
    skipKeys?: boolean;
    update?: boolean;
  },
) {
  const q = new URLSearchParams({
    preserveOwner: String(o.preserveOwner === true),
    skipSubscriptions: String(o.skipSubscriptions === true),
    skipApplicationKeys: String(o.skipKeys === true),
    update: String(o.update === true),
  });
  if (o.owner) q.set('appOwner', o.owner);
  const body = (await upload(o, `${DEV}/applications/import?${q}`, o.file)) as {
    applicationId?: string;
    name?: string;
    list?: { name: string; version: string; provider: string }[];
  };
  if (body.list) {
    console.log(
      'imported the application; subscriptions not made here (API missing, unpublished or tier not offered):',
    );
    for (const a of body.list) console.log(`  ${a.name} ${a.version} (${a.provider})`);
  } else console.log(`imported application ${body.name ?? ''} ${body.applicationId ?? ''}`);
}

async function download(o: RemoteOptions, path: string, file: string) {
  const res = await call(o, 'GET', path);
  const bytes = Buffer.from(await res.body.arrayBuffer());
  if (res.statusCode !== 200) throw failure(res.statusCode, bytes.toString('utf8'));
  writeFileSync(file, bytes);
  console.log(`wrote ${file}`);
}

async function upload(o: RemoteOptions, path: string, file: string): Promise<unknown> {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(file)], { type: 'application/zip' }), file.split(/[\\/]/).pop());
  const res = await call(o, 'POST', path, form);
  const text = await res.body.text();
  if (res.statusCode !== 200 && res.statusCode !== 207) throw failure(res.statusCode, text);
  return JSON.parse(text) as unknown;
}

async function call(o: RemoteOptions, method: 'GET' | 'POST', path: string, body?: FormData) {
  const base = o.url ?? defaultUrl(o.home);
  const password = o.passwordStdin ? await readStdinLine() : '';
  if (!o.passwordStdin)
    throw new RemoteCallError('give the password of --user on standard input with --password-stdin');
  const auth = Buffer.from(`${o.user ?? 'admin'}:${password}`).toString('base64');
  const dispatcher = o.insecure ? new Agent({ connect: { rejectUnauthorized: false } }) : undefined;
  try {
    return await request(`${base.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { authorization: `Basic ${auth}` },
      ...(body ? { body } : {}),
      ...(dispatcher ? { dispatcher } : {}),
    });
  } catch (err) {
    throw new RemoteCallError(
      `cannot reach ${base}: ${(err as Error).message} (is Portico running? see --url)`,
    );
  }
}

/** This home's control plane: plain HTTP on loopback when enabled (Basic auth is allowed there), else HTTPS. */
function defaultUrl(home: string | undefined): string {
  const config = loadHomeConfig(resolveHome(home));
  const offset = config.server.offset;
  return config.server.enable_http
    ? `http://127.0.0.1:${9763 + offset}`
    : `https://localhost:${9443 + offset}`;
}

/** A REST error as one line: the status, Portico's errorCode and description (never a stack trace). */
function failure(status: number, text: string): Error {
  try {
    const e = JSON.parse(text) as { errorCode?: string; description?: string };
    return new RemoteCallError(`HTTP ${status} ${e.errorCode ?? ''}: ${e.description ?? text}`);
  } catch {
    return new RemoteCallError(`HTTP ${status}`);
  }
}

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}
