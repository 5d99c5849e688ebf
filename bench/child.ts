/** Helpers for the benchmark's child processes (each role runs in its own process, started with `fork`). */
import { once } from 'node:events';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on 127.0.0.1 (random port), tells the parent the port, and exits when the parent goes away. */
export function announce(server: http.Server): void {
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  server.listen(0, '127.0.0.1');
  void once(server, 'listening').then(() => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
}
