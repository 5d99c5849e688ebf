import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { request } from 'undici';
import { parseConfig } from '../../config/index.js';
import { listen } from './listeners.js';

const hasIpv6Loopback = Object.values(networkInterfaces()).some((list) =>
  (list ?? []).some((i) => i.family === 'IPv6' && i.internal && i.address === '::1'),
);

test('the default bind address is dual-stack: one listener answers on 127.0.0.1 and on [::1]', async () => {
  const bind = parseConfig('', 'deployment.toml', {}).server.bind_address;
  assert.equal(bind, '::');
  const seen: string[] = [];
  const l = await listen(
    (req, res) => {
      seen.push(req.socket.remoteAddress ?? '');
      res.end('ok');
    },
    { host: bind, port: 0, publicHost: 'localhost' },
  );
  try {
    const port = Number(new URL(l.url).port);
    const v4 = await request(`http://127.0.0.1:${port}/`);
    assert.equal(await v4.body.text(), 'ok');
    if (hasIpv6Loopback) {
      const v6 = await request(`http://[::1]:${port}/`);
      assert.equal(await v6.body.text(), 'ok');
      assert.deepEqual(seen, ['::ffff:127.0.0.1', '::1']);
    } else {
      assert.deepEqual(seen, ['127.0.0.1']);
    }
  } finally {
    await l.close(0);
  }
});

test('an explicit bind address is used as given (IPv4 only: [::1] is refused)', async () => {
  const l = await listen((_req, res) => res.end('ok'), {
    host: '127.0.0.1',
    port: 0,
    publicHost: 'localhost',
  });
  try {
    const port = Number(new URL(l.url).port);
    assert.equal(await (await request(`http://127.0.0.1:${port}/`)).body.text(), 'ok');
    if (hasIpv6Loopback) await assert.rejects(request(`http://[::1]:${port}/`));
  } finally {
    await l.close(0);
  }
});
