import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { fakeClock, type Snapshot } from '../../core/index.js';
import { createGateway, type Gateway } from '../create-gateway.js';
import { defaultGatewaySettings, type GatewayOptions, type GatewaySettings } from '../gateway-options.js';
import { rawHttpRequest } from './raw-http.js';
import { StaticSnapshotSource } from './static-snapshot-source.js';

/** What the test upstream saw. */
export interface UpstreamRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A gateway on a real port in front of a real upstream, with a fake clock and a static snapshot source. */
export interface Harness {
  gateway: Gateway;
  source: StaticSnapshotSource;
  clock: ReturnType<typeof fakeClock>;
  upstreamUrl: string;
  /** Requests the upstream received, newest last. */
  seen: UpstreamRequest[];
  apiKeysUsed: string[];
  unknownKids: string[];
  request(
    path: string,
    init?: { method?: string; headers?: Record<string, string>; body?: string },
  ): Promise<{
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
  }>;
  /** One request written byte for byte (see {@link rawHttpRequest}). */
  rawRequest(
    path: string,
    headers: readonly (readonly [string, string])[],
  ): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/** Starts the upstream and the gateway. `makeSnapshot` gets the upstream base URL. */
export async function startHarness(
  makeSnapshot: (upstreamUrl: string) => Snapshot,
  settings: Partial<GatewaySettings> = {},
  options: Pick<GatewayOptions, 'apiKeyHashSecret' | 'accessTokenLookup' | 'counter' | 'usage'> = {},
): Promise<Harness> {
  const seen: UpstreamRequest[] = [];
  const upstream = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const delay = req.url?.includes('/slow') ? 1500 : 0;
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(200, {
          'content-type': 'application/json',
          'x-upstream': 'yes',
          connection: 'keep-alive',
        });
        res.end(JSON.stringify({ ok: true, url: req.url }));
      }, delay);
    });
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

  const clock = fakeClock(Date.UTC(2026, 0, 1, 0, 0, 0));
  const source = new StaticSnapshotSource(makeSnapshot(upstreamUrl));
  const apiKeysUsed: string[] = [];
  const unknownKids: string[] = [];
  const gateway = createGateway({
    snapshotSource: source,
    clock,
    logger: pino({ level: 'silent' }),
    settings: { ...defaultGatewaySettings(), ...settings },
    version: '0.1.0-test',
    onApiKeyUsed: (jti) => apiKeysUsed.push(jti),
    onUnknownKid: (km) => unknownKids.push(km),
    ...options,
  });
  await gateway.ready();
  const server = http.createServer(gateway.handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true });

  return {
    gateway,
    source,
    clock,
    upstreamUrl,
    seen,
    apiKeysUsed,
    unknownKids,
    request: (path, init = {}) =>
      new Promise((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers, agent },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
          },
        );
        req.on('error', reject);
        req.end(init.body);
      }),
    rawRequest: (path, headers) => rawHttpRequest(port, path, headers),
    close: async () => {
      agent.destroy();
      await gateway.close();
      server.closeAllConnections();
      upstream.closeAllConnections();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => upstream.close(r))]);
    },
  };
}

/** A TCP port nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}
