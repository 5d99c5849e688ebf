import net from 'node:net';

/**
 * Sends one HTTP/1.1 request written byte for byte (repeated headers, odd spellings: what node's client will not
 * send) and resolves with the status and body. `Connection: close` is added; the server's answer ends the read.
 */
export function rawHttpRequest(
  port: number,
  path: string,
  headers: readonly (readonly [string, string])[],
  method = 'GET',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
    for (const [name, value] of headers) lines.push(`${name}: ${value}`);
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw request timed out')));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const at = text.indexOf('\r\n\r\n');
      resolve({ status, body: at < 0 ? '' : text.slice(at + 4) });
    });
    // write, not end: a half-closed client makes node drop a response that is still being proxied.
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}
