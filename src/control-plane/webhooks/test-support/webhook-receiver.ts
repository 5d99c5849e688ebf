import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { selfSignedKey } from '../../../../test/support/self-signed.js';

/** One POST a receiver got. */
export interface ReceivedWebhook {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** `performance.now()` when it arrived. */
  readonly at: number;
}

/** A real local webhook receiver (tests only). */
export interface WebhookReceiver {
  /** `https://localhost:<port>/hook` (or `http://127.0.0.1:<port>/hook`). */
  readonly url: string;
  /** The receiver's self-signed certificate (PEM), to trust it; null over http. */
  readonly certificatePem: string | null;
  readonly received: ReceivedWebhook[];
  /** Resolves with the `n`-th request (1-based) once it arrived; rejects after `timeoutMs`. */
  nth(n: number, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

/**
 * Starts a receiver on a free port. `answers` are the statuses of the first requests, in order (then 200);
 * `redirect` answers with a 302 to `/elsewhere` instead. Over https it serves a fresh self-signed certificate
 * for `localhost` and listens on `::` (both families, whichever `localhost` resolves to).
 */
export async function startWebhookReceiver(
  opts: { https?: boolean; answers?: number[]; delayMs?: number } = {},
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const waiters: (() => void)[] = [];
  const answers = [...(opts.answers ?? [])];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      });
      for (const w of waiters.splice(0)) w();
      const status = answers.shift() ?? 200;
      const reply = () => {
        if (status === 302) res.writeHead(302, { location: '/elsewhere' }).end();
        else
          res.writeHead(status, { 'content-type': 'text/plain' }).end(`answer ${status} ${'x'.repeat(1000)}`);
      };
      if (opts.delayMs) setTimeout(reply, opts.delayMs);
      else reply();
    });
  };
  const key = opts.https ? selfSignedKey('receiver', 'localhost') : null;
  const server = key
    ? createHttpsServer(
        { key: key.privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: key.certificatePem },
        handle,
      )
    : createHttpServer(handle);
  await new Promise<void>((r) => server.listen(0, key ? '::' : '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: key ? `https://localhost:${port}/hook` : `http://127.0.0.1:${port}/hook`,
    certificatePem: key?.certificatePem ?? null,
    received,
    nth(n, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`webhook ${n} not received within ${timeoutMs} ms (got ${received.length})`)),
          timeoutMs,
        );
        const check = () => {
          const got = received[n - 1];
          if (got) {
            clearTimeout(timer);
            resolve(got);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
