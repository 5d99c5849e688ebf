import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness, type Harness } from '../../../../test/support/control-plane-harness.js';
import { publisherRoutes } from '../../publisher/index.js';
import { DEV, publishedApi, userAuth } from '../../publisher/test-support/publisher-fixtures.js';
import { devportalApiRoutes } from './index.js';

const listed = async (h: Harness, headers: Record<string, string> = {}) => {
  const res = await h.app.inject({ method: 'GET', url: `${DEV}/apis`, headers });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json().list as { name: string }[]).map((a) => a.name).sort();
};
const status = async (h: Harness, url: string, headers: Record<string, string> = {}) =>
  (await h.app.inject({ method: 'GET', url, headers })).statusCode;

for (const d of await testDialects()) {
  test(`devportal visibility on ${d.name}: PRIVATE to signed-in users, RESTRICTED to visibleRoles holders`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes(), devportalApiRoutes], {
      toml: '[user_store]\ncustom_roles = ["gold-partners"]\n',
    });
    try {
      await publishedApi(h, { name: 'Open', context: '/open' });
      await publishedApi(h, { name: 'Members', context: '/members', visibility: 'PRIVATE' });
      const partners = await publishedApi(h, {
        name: 'Partners',
        context: '/partners',
        visibility: 'RESTRICTED',
        visibleRoles: ['gold-partners'],
      });
      const sam = await userAuth(h, 'sam', ['subscriber']);
      const gina = await userAuth(h, 'gina', ['subscriber', 'gold-partners']);

      assert.deepEqual(await listed(h), ['Open']);
      assert.deepEqual(await listed(h, sam), ['Members', 'Open']);
      assert.deepEqual(await listed(h, gina), ['Members', 'Open', 'Partners']);
      for (const path of ['', '/swagger', '/subscription-policies']) {
        const url = `${DEV}/apis/${partners}${path}`;
        assert.equal(await status(h, url), 404, `anonymous ${path}`);
        assert.equal(await status(h, url, sam), 404, `sam ${path}`);
        assert.equal(await status(h, url, gina), 200, `gina ${path}`);
      }
      // Bad credentials are refused rather than treated as anonymous.
      assert.equal(await status(h, `${DEV}/apis`, { authorization: 'Basic Z2luYTp3cm9uZw==' }), 401);
    } finally {
      await h.close();
    }
  });
}
