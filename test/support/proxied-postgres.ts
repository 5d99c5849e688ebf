import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pgUrl } from './dialects.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/**
 * A fresh database on the test PostgreSQL reached through a loopback TCP proxy the test can cut and restore, for
 * "the database went away" tests. `url` goes through the proxy; `close()` drops the database.
 */
export async function proxiedPostgres(): Promise<{ url: string; proxy: TcpProxy; close(): Promise<void> }> {
  const target = new URL(pgUrl);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const name = `portico_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(pgUrl);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    proxy,
    async close() {
      await proxy.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end();
    },
  };
}
