/**
 * Reference (a): the least a Node proxy can do, node:http + undici Pool.request, piping the response back (the
 * setup measured in stack.md §1). Same upstream, same path rewrite as the gateway; no auth, no routing table,
 * no header filtering beyond the two request headers that would break the upstream call.
 */
import http from 'node:http';
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
      res.writeHead(data.statusCode, data.headers as http.OutgoingHttpHeaders);
      data.body.pipe(res);
    },
  );
});
server.keepAliveTimeout = 60_000;
announce(server);
