import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness } from '../../../../test/support/control-plane-harness.js';
import { devportalApiKeyRoutes } from './index.js';
import { DEV, countKeys, generate, insertApplication, subscriber } from './test-support/api-key-fixtures.js';

for (const d of await testDialects()) {
  test(`api keys on ${d.name}: generate refuses bad input and other users' applications, storing nothing`, async () => {
    const h = await createHarness(await d.open(), [devportalApiKeyRoutes]);
    try {
      const alice = await subscriber(h, 'alice');
      const bob = await subscriber(h, 'bob');
      const app = await insertApplication(h.store, 'alice', 'AliceApp');
      // Invalid restrictions: 400 naming the entry, nothing issued, nothing stored.
      const stored = await countKeys(h);
      const bad: [Record<string, string>, string][] = [
        [{ permittedIP: '300.1.1.1' }, '300.1.1.1'],
        [{ permittedIP: '10.0.0.1, 10.0.0.0/33' }, '10.0.0.0/33'],
        [{ permittedIP: '1001:ab8::/129' }, '1001:ab8::/129'],
        [{ permittedIP: '10.0.0.1,,10.0.0.2' }, 'empty entry'],
        [{ permittedIP: 'localhost' }, 'localhost'],
        [{ permittedReferer: 'bad referer' }, 'bad referer'],
        [{ permittedReferer: 'www.example.com,' }, 'empty entry'],
        [{ permittedReferer: 'javascript:alert(1)' }, 'javascript:alert(1)'],
        [{ permittedReferer: 'javascript://x.example.com/%0aalert(1)' }, 'javascript:'],
        [{ permittedReferer: 'ftp://files.example.com/*' }, 'ftp:'],
        [{ permittedReferer: '*' }, "'*'"],
        [{ permittedReferer: '*/*' }, "'*/*'"],
        [{ permittedReferer: 'www.*.com/*' }, 'www.*.com'],
        [{ permittedReferer: 'ex*ample.com/*' }, 'ex*ample.com'],
        [{ permittedReferer: 'user@example.com/*' }, 'user@example.com'],
        [{ permittedReferer: 'example.com/?x=1' }, 'example.com/?x=1'],
        [{ permittedReferer: 'example.com/#top' }, 'example.com/#top'],
        [{ permittedReferer: 'evil.com%2F.example.com/*' }, 'evil.com%2F'],
      ];
      for (const [props, named] of bad) {
        const r = await generate(h, alice, app.uuid, 'PRODUCTION', { additionalProperties: props });
        assert.equal(r.statusCode, 400, JSON.stringify(props));
        assert.equal(r.json().errorCode, 'INVALID_RESTRICTION');
        assert.ok((r.json().description as string).includes(named), r.json().description as string);
        assert.equal(r.json().apikey, undefined);
      }
      for (const payload of [
        { validityPeriod: '3600' },
        { validityPeriod: 1.5 },
        { validityPeriod: 2147483648 },
        { validityPeriod: -5 },
        { validityPeriod: 0 },
        { keyName: 'x'.repeat(101) },
        { keyName: 42 },
        { additionalProperties: { permittedIP: ['10.0.0.1'] } },
        { additionalProperties: 'ip' },
        [1],
      ]) {
        const r = await generate(h, alice, app.uuid, 'PRODUCTION', payload);
        assert.equal(r.statusCode, 400, JSON.stringify(payload));
        assert.equal(r.json().errorCode, 'VALIDATION_FAILED');
      }
      const notJson = await h.app.inject({
        method: 'POST',
        url: `${DEV}/applications/${app.uuid}/api-keys/PRODUCTION/generate`,
        headers: { ...alice, 'content-type': 'application/json' },
        payload: '{"validityPeriod":',
      });
      assert.equal(notJson.statusCode, 400);
      assert.equal(await countKeys(h), stored);

      // Ownership and credentials.
      const other = await generate(h, bob, app.uuid);
      assert.equal(other.statusCode, 404);
      assert.equal(other.json().errorCode, 'APPLICATION_NOT_FOUND');
      const missing = await generate(h, alice, '00000000-0000-4000-8000-000000000000');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().errorCode, 'APPLICATION_NOT_FOUND');
      const anonymous = await h.app.inject({
        method: 'POST',
        url: `${DEV}/applications/${app.uuid}/api-keys/PRODUCTION/generate`,
      });
      assert.equal(anonymous.statusCode, 401);
      await h.ctx.users.create('carol', 'carol-password-1', ['creator']);
      const creator = await generate(
        h,
        { authorization: `Basic ${Buffer.from('carol:carol-password-1').toString('base64')}` },
        app.uuid,
      );
      assert.equal(creator.statusCode, 403);
      assert.equal(creator.json().errorCode, 'INSUFFICIENT_SCOPE');
    } finally {
      await h.close();
    }
  });
}
