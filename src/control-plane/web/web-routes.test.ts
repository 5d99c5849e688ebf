import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { webRoutes } from './web-routes.js';

function fakeDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'portico-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Portico</title><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'index-AbC123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'index-AbC123.css'), 'body{}');
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

for (const d of await testDialects()) {
  test(`web UI serving on ${d.name}: portals, SPA fallback, assets, CSP, redirect, traversal`, async () => {
    const h = await createHarness(await d.open(), [webRoutes({ distDir: fakeDist() })]);
    try {
      const root = await h.app.inject({ method: 'GET', url: '/' });
      assert.equal(root.statusCode, 302);
      assert.equal(root.headers.location, '/devportal');

      for (const url of [
        '/devportal',
        '/publisher/apis/123/runtime',
        '/admin/users',
        '/devportal/applications/x',
      ]) {
        const r = await h.app.inject({ method: 'GET', url });
        assert.equal(r.statusCode, 200, url);
        assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
        assert.match(r.body, /<title>Portico<\/title>/);
        assert.equal(r.headers['cache-control'], 'no-cache');
        assert.equal(r.headers['x-frame-options'], 'DENY');
        assert.equal(
          r.headers['content-security-policy'],
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
            "connect-src 'self' https://localhost:8243 http://localhost:8280; object-src 'none'; base-uri 'none'; " +
            "form-action 'self'; frame-ancestors 'none'",
        );
      }

      const js = await h.app.inject({ method: 'GET', url: '/assets/index-AbC123.js' });
      assert.equal(js.statusCode, 200);
      assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
      assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(js.headers['x-content-type-options'], 'nosniff');
      assert.equal(js.body, 'console.log(1)');
      const css = await h.app.inject({ method: 'GET', url: '/assets/index-AbC123.css' });
      assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
      const icon = await h.app.inject({ method: 'GET', url: '/favicon.svg' });
      assert.equal(icon.headers['content-type'], 'image/svg+xml');

      const gone = await h.app.inject({ method: 'GET', url: '/assets/nope.js' });
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.json().errorCode, 'NOT_FOUND');
      for (const url of ['/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/index.html', '/assets/']) {
        const r = await h.app.inject({ method: 'GET', url });
        assert.equal(r.statusCode, 404, url);
      }
      // REST routes are not swallowed by the fallback.
      assert.equal((await h.app.inject({ method: 'GET', url: '/api/am/nothing' })).statusCode, 404);
      assert.equal((await h.app.inject({ method: 'POST', url: '/devportal' })).statusCode, 404);
    } finally {
      await h.close();
    }
  });

  test(`web UI serving on ${d.name}: 503 with a hint when the UI is not built`, async () => {
    const h = await createHarness(await d.open(), [
      webRoutes({ distDir: join(tmpdir(), 'portico-no-such-dist') }),
    ]);
    try {
      const r = await h.app.inject({ method: 'GET', url: '/devportal' });
      assert.equal(r.statusCode, 503);
      assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(r.body, 'The web UI is not built: run `npm run build` (web/dist is missing).\n');
    } finally {
      await h.close();
    }
  });
}
