import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { testDialects } from '../../test/support/dialects.js';
import { ADMIN, basic, createHarness } from '../../test/support/control-plane-harness.js';
import { userRoutes } from './index.js';

// docs/security.md: nothing per request is logged at info. Fastify's own request logging wrote two lines
// ("incoming request", "request completed") for every control-plane request, token requests included.

function collectingLogger(level: string) {
  const lines: { msg?: string; level?: number }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, logger: pino({ level }, stream) };
}

const [sqlite] = await testDialects();

test('control plane: no log line per request at info; request lines at debug', async () => {
  for (const level of ['info', 'debug']) {
    const { lines, logger } = collectingLogger(level);
    const h = await createHarness(await sqlite!.open(), [userRoutes()], { logger });
    try {
      const before = lines.length;
      for (let i = 0; i < 3; i++) {
        const res = await h.app.inject({
          method: 'GET',
          url: '/api/am/admin/v4/users',
          headers: { authorization: basic(ADMIN.username, ADMIN.password) },
        });
        assert.ok(res.statusCode < 500, `status ${res.statusCode}`);
        await h.app.inject({ method: 'GET', url: '/no-such-path' });
      }
      const perRequest = lines.slice(before).filter((l) => l.msg === 'request completed');
      if (level === 'info') assert.deepEqual(lines.slice(before), [], 'nothing logged per request at info');
      else assert.equal(perRequest.length, 6, 'one debug line per request');
      for (const l of lines.slice(before)) assert.doesNotMatch(JSON.stringify(l), /admin-password|Basic /);
    } finally {
      await h.close();
    }
  }
});
