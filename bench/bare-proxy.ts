/**
 * Reference (a): the least a Node proxy can do, node:http + undici Pool.request, streaming the response back.
 * Same upstream, same path rewrite shape as the gateway; no auth, no routing table, no header filtering beyond
 * the two hop-by-hop headers that would break the upstream call.
 */
import http from 'node:http';
import { pipeline } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import { announce } from './child.js';

const upstream = process.argv[2]!;
const pool = new Pool(upstream, { connections: 256, pipelining: 1 });

const server = http.createServer((req, res) => {
  const headers = { ...req.headers };
  delete headers.host;
  delete headers.connection;
  pool.request(
    {
      path: `/api${req.url!.slice('/bench/1.0.0'.length)}`,
      method: req.method as Dispatcher.HttpMethod,
      headers,
    },
    (err, data) => {
      if (err !== null) {
        res.writeHead(502).end();
        return;
      }
      const out: Record<string, string | string[]> = {};
      for (const name in data.headers) {
        const v = data.headers[name];
        if (v !== undefined && name !== 'connection' && name !== 'keep-alive') out[name] = v;
      }
      res.writeHead(data.statusCode, out);
      pipeline(data.body, res, () => undefined);
    },
  );
});
server.keepAliveTimeout = 60_000;
announce(server);
