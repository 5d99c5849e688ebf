import net from 'node:net';

/**
 * Sends one HTTP/1.1 request written byte for byte (repeated headers, odd spellings: what node's client will not
 * send) and resolves with the status and body. `Connection: close` is added; the server's answer ends the read.
 * `reset` says the server closed the connection on us (status 0 then when nothing was read).
 */
export function rawHttpRequest(
  port: number,
  path: string,
  headers: readonly (readonly [string, string])[],
  method = 'GET',
): Promise<{ status: number; body: string; reset: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
    for (const [name, value] of headers) lines.push(`${name}: ${value}`);
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw request timed out')));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    let reset = false;
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A server that refuses an oversize request may close while we still write: that is its answer.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') reset = true;
      else reject(err);
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const at = text.indexOf('\r\n\r\n');
      resolve({ status, body: at < 0 ? '' : text.slice(at + 4), reset });
    });
    // write, not end: a half-closed client makes node drop a response that is still being proxied.
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}
