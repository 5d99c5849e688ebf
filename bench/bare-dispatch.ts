/**
 * Reference (a2): a bare node:http + undici proxy written like the gateway's forwarder (Pool.dispatch with a plain
 * handler writing straight into the response; no AbortController, no stream.pipeline). Against this, the gateway's
 * extra cost is only routing, the compiled pipeline and header filtering.
 */
import http from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { announce } from './child.js';

const pool = new Pool(process.argv[2]!, { connections: 256, pipelining: 1 });

const server = http.createServer((req, res) => {
  const headers = { ...req.headers };
  delete headers.host;
  delete headers.connection;
  let resume: (() => void) | null = null;
  const handler: Dispatcher.DispatchHandler = {
    onConnect: () => undefined,
    onHeaders(status, raw, r) {
      const out: string[] = [];
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const name = raw[i]!.toString('latin1');
        const lower = name.toLowerCase();
        if (lower !== 'connection' && lower !== 'keep-alive') out.push(name, raw[i + 1]!.toString('latin1'));
      }
      res.writeHead(status, out);
      resume = r;
      return true;
    },
    onData(chunk) {
      if (res.write(chunk)) return true;
      res.once('drain', () => resume?.());
      return false;
    },
    onComplete: () => void res.end(),
    onError: () => void (res.headersSent ? res.destroy() : res.writeHead(502).end()),
  };
  pool.dispatch(
    {
      path: `/api${req.url!.slice('/bench/1.0.0'.length)}`,
      method: req.method as Dispatcher.HttpMethod,
      headers,
    },
    handler,
  );
});
server.keepAliveTimeout = 60_000;
announce(server);
