import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A listening server that drains in-flight requests on close. */
export interface Listener {
  readonly url: string;
  readonly server: http.Server | https.Server;
  close(timeoutMs: number): Promise<void>;
}

export interface TlsMaterial {
  key: string;
  cert: string;
}

/**
 * The host argument for `server.listen`: `::` becomes "omitted", which Node binds dual-stack to `::` where the
 * host has IPv6 and to `0.0.0.0` where it does not (an explicit `::` would fail there).
 */
export function listenHost(bindAddress: string): string | undefined {
  return bindAddress === '::' ? undefined : bindAddress;
}

/**
 * Listens on `host:port` with plain HTTP or TLS. `close` stops accepting, lets in-flight requests finish
 * (up to `timeoutMs`), then destroys what is left.
 */
export async function listen(
  handler: Handler,
  opts: { host: string; port: number; tls?: TlsMaterial; publicHost: string },
): Promise<Listener> {
  const server = opts.tls
    ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert, keepAliveTimeout: 65_000 }, handler)
    : http.createServer({ keepAliveTimeout: 65_000 }, handler);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, listenHost(opts.host), () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${opts.publicHost}:${port}`,
    server,
    close(timeoutMs) {
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, timeoutMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
