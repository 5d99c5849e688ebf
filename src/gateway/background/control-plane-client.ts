import type { Logger } from 'pino';
import { Agent, request } from 'undici';

export interface ControlPlaneClientOptions {
  /** Control-plane base URLs in order of preference (`[apim.gateway] control_plane_urls`); at least one. */
  urls: readonly string[];
  username: string;
  password: string;
  /** PEM certificates trusted for the control planes' TLS (the trust store). */
  ca: string[];
  logger: Logger;
  /** How long to wait for a connection and for response headers (a hung control plane fails over). */
  timeoutMs?: number;
}

/** A control-plane answer other than a connection failure or 5xx: the status and the parsed JSON body. */
export interface ControlPlaneReply<T> {
  readonly status: number;
  readonly body: T;
  /** The control plane that answered. */
  readonly url: string;
}

/** Calls to the control planes with failover; see {@link createControlPlaneClient}. */
export interface ControlPlaneClient {
  /** Calls the control plane in use, failing over on connection failure or 5xx. @throws when none answers. */
  call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ControlPlaneReply<T>>;
  /** The control plane in use now. */
  active(): string;
  close(): Promise<void>;
}

/**
 * An HTTP client for `/internal/data/v1/...` over several control planes: it sticks to the one that answered last
 * and moves to the next in the list when that one refuses the connection, times out or answers 5xx, logging the
 * switch once. 4xx answers (including 410) are returned to the caller: every control plane of a deployment would
 * give the same one.
 * @example const cp = createControlPlaneClient({ urls: ['https://cp1:9443', 'https://cp2:9443'], username, password, ca, logger });
 * const { body } = await cp.call<{ version: number }>('GET', '/internal/data/v1/snapshot/version');
 */
export function createControlPlaneClient(opts: ControlPlaneClientOptions): ControlPlaneClient {
  if (opts.urls.length === 0) throw new Error('at least one control-plane URL is needed');
  const timeout = opts.timeoutMs ?? 10_000;
  const agent = new Agent({
    connect: { ca: opts.ca.length ? opts.ca : undefined, timeout },
    keepAliveTimeout: 30_000,
    headersTimeout: timeout,
    bodyTimeout: 60_000,
  });
  const auth = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
  const urls = opts.urls.map((u) => u.replace(/\/+$/, ''));
  let index = 0;

  const once = async <T>(
    base: string,
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
  ): Promise<ControlPlaneReply<T>> => {
    const res = await request(`${base}${path}`, {
      method,
      headers: {
        authorization: auth,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      dispatcher: agent,
    });
    const text = await res.body.text();
    if (res.statusCode >= 500) throw new Error(`${base}${path}: HTTP ${res.statusCode}`);
    let parsed: unknown = null;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      throw new Error(`${base}${path}: HTTP ${res.statusCode} with a body that is not JSON`);
    }
    return { status: res.statusCode, body: parsed as T, url: base };
  };

  return {
    async call<T>(method: 'GET' | 'POST', path: string, body?: unknown) {
      let lastError: unknown;
      for (let attempt = 0; attempt < urls.length; attempt++) {
        const i = (index + attempt) % urls.length;
        const base = urls[i]!;
        try {
          const reply = await once<T>(base, method, path, body);
          if (i !== index) {
            opts.logger.warn(
              { from: urls[index], to: base, err: (lastError as Error | undefined)?.message },
              'control plane failover: now syncing from another control plane',
            );
            index = i;
          }
          return reply;
        } catch (err) {
          lastError = err;
        }
      }
      throw lastError instanceof Error ? lastError : new Error(String(lastError));
    },
    active: () => urls[index]!,
    close: () => agent.close(),
  };
}
