/** The benchmark upstream: node:http answering every request with the same small JSON body (keep-alive). */
import http from 'node:http';
import { announce } from './child.js';

const body = Buffer.from(
  JSON.stringify([{ name: 'BBQ Chicken Bacon', price: '24.99', icon: '/images/6.png' }]),
);
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
announce(server);
