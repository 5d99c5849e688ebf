import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import {
  adminBasic,
  createApplication,
  fullHarness,
  sampleApiId,
} from '../../../test/support/full-control-plane.js';

/** The WSO2 error body of a 400 VALIDATION_FAILED with one detail. */
const validationFailed = (message: string) => ({
  code: 909001,
  message: 'Bad Request',
  description: message,
  moreInfo: '',
  error: [{ code: 'VALIDATION_FAILED', message }],
  errorCode: 'VALIDATION_FAILED',
});

for (const d of await testDialects()) {
  test(`repeated query parameters are 400 naming the parameter, never 500, on ${d.name}`, async () => {
    const h = await fullHarness(await d.open());
    try {
      const auth = { authorization: adminBasic() };
      const apiId = await sampleApiId(h);
      const appId = await createApplication(h, 'dup-query-app');
      const cases: { url: string; auth: boolean; param: string }[] = [
        // Public: WSO2's Developer Portal lists APIs anonymously.
        { url: '/api/am/devportal/v3/apis?query=a&query=b', auth: false, param: 'query' },
        { url: '/api/am/devportal/v3/apis?limit=1&limit=2', auth: false, param: 'limit' },
        { url: '/api/am/publisher/v4/apis?query=a&query=b', auth: true, param: 'query' },
        {
          url: `/api/am/devportal/v3/subscriptions?applicationId=${appId}&applicationId=${appId}`,
          auth: true,
          param: 'applicationId',
        },
        { url: `/api/am/devportal/v3/subscriptions?apiId=${apiId}&apiId=x`, auth: true, param: 'apiId' },
        { url: `/api/am/publisher/v4/subscriptions?apiId=${apiId}&apiId=x`, auth: true, param: 'apiId' },
        { url: '/api/am/devportal/v3/applications?query=a&query=b', auth: true, param: 'query' },
        // A route that declares no query parameters still refuses a repeated one.
        { url: '/health?x=1&x=2', auth: false, param: 'x' },
      ];
      for (const c of cases) {
        const res = await h.app.inject({ url: c.url, headers: c.auth ? auth : {} });
        assert.equal(res.statusCode, 400, `${c.url}: ${res.body}`);
        assert.deepEqual(
          res.json(),
          validationFailed(`Query parameter ${c.param} must not be repeated`),
          c.url,
        );
      }

      // Refused before the handler: the application is still there.
      const del = await h.app.inject({
        method: 'DELETE',
        url: `/api/am/devportal/v3/applications/${appId}?x=1&x=2`,
        headers: auth,
      });
      assert.equal(del.statusCode, 400, del.body);
      const still = await h.app.inject({ url: `/api/am/devportal/v3/applications/${appId}`, headers: auth });
      assert.equal(still.statusCode, 200, still.body);
    } finally {
      await h.close();
    }
  });

  test(`control characters in query and path parameters are 400, never 500, on ${d.name}`, async () => {
    const h = await fullHarness(await d.open());
    try {
      const auth = { authorization: adminBasic() };
      const nulQuery = await h.app.inject({
        url: '/api/am/devportal/v3/applications?query=a%00',
        headers: auth,
      });
      assert.equal(nulQuery.statusCode, 400, nulQuery.body);
      assert.deepEqual(
        nulQuery.json(),
        validationFailed('Query parameter query must not contain control characters'),
      );
      const bidiQuery = await h.app.inject({ url: '/api/am/devportal/v3/apis?query=%E2%80%AEpizza' });
      assert.deepEqual(
        bidiQuery.json(),
        validationFailed('Query parameter query must not contain bidirectional control characters'),
      );
      const nulPath = await h.app.inject({ url: '/api/am/devportal/v3/apis/%00' });
      assert.equal(nulPath.statusCode, 400, nulPath.body);
      assert.deepEqual(
        nulPath.json(),
        validationFailed('Path parameter apiId must not contain control characters'),
      );
      // Not valid UTF-8 once decoded: find-my-way refuses it; the body is still a WSO2 error.
      const badUtf8 = await h.app.inject({ url: '/api/am/devportal/v3/apis/%ED%A0%80' });
      assert.equal(badUtf8.statusCode, 400, badUtf8.body);
      assert.equal(badUtf8.json().errorCode, 'BAD_REQUEST');
      assert.equal(badUtf8.json().code, 909000);
    } finally {
      await h.close();
    }
  });
}
