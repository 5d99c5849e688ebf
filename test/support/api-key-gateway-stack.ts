import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApiKeyUsageRecorder } from '../../src/control-plane/devportal/api-keys/index.js';
import { createGateway, defaultGatewaySettings } from '../../src/gateway/index.js';
import type { Harness } from './control-plane-harness.js';

const logger = pino({ level: 'silent' });

export interface Seen {
  url: string;
  headers: http.IncomingHttpHeaders;
}

/**
 * A control plane harness plus a real gateway (on the harness' clock and API-key hash secret) in front of a real
 * upstream that answers every request 200 with a small JSON body and records what it saw.
 */
export async function apiKeyGatewayStack(h: Harness, opts: { apiKeySigningAlias?: string } = {}) {
  const seen: Seen[] = [];
  const upstream = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('[{"name":"BBQ Chicken Bacon"}]');
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  const usage = createApiKeyUsageRecorder({
    store: h.store,
    clock: h.clock,
    logger,
    flushIntervalMs: 60_000,
  });
  const gateway = createGateway({
    snapshotSource: h.ctx.snapshots,
    clock: h.clock,
    logger,
    settings: defaultGatewaySettings(),
    version: 't',
    onApiKeyUsed: usage.record,
    apiKeyHashSecret: h.ctx.apiKeyHashSecret,
    ...opts,
  });
  const server = http.createServer(gateway.handle);
  // Host omitted: dual-stack, as Portico's default `[server] bind_address = "::"` listens.
  server.listen(0);
  await once(server, 'listening');
  await gateway.ready();
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    seen,
    usage,
    upstreamUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    async call(path: string, headers: Record<string, string> = {}) {
      const res = await fetch(`${base}${path}`, { headers });
      return { status: res.status, body: await res.text() };
    },
    /** The same request from `::1` (IPv6 loopback). */
    async callV6(path: string, headers: Record<string, string> = {}) {
      const res = await fetch(`http://[::1]:${port}${path}`, { headers });
      return { status: res.status, body: await res.text() };
    },
    async close() {
      await usage.close();
      await gateway.close();
      server.closeAllConnections();
      upstream.closeAllConnections();
      await new Promise((r) => server.close(r));
      await new Promise((r) => upstream.close(r));
    },
  };
}
