import { test } from 'node:test';
import { storedDefaults } from './api-stored-fields.js';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { publisherRoutes } from './index.js';
import { adminAuth, apiBody, counts, PUB, userAuth } from './test-support/publisher-fixtures.js';
import { rawDb } from '../../../test/support/raw-db.js';

for (const d of await testDialects()) {
  test(`publisher APIs on ${d.name}: create, read, list, update, delete`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    try {
      const deltas = h.recordDeltas();
      const creator = await userAuth(h, 'carol', ['creator']);
      const res = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: creator,
        payload: apiBody(),
      });
      assert.equal(res.statusCode, 201, res.body);
      const api = res.json();
      assert.equal(res.headers.location, `${PUB}/apis/${api.id}`);
      assert.match(api.id, /^[0-9a-f-]{36}$/);
      assert.deepEqual(
        { ...api, id: 'X', createdTime: 'T', lastUpdatedTime: 'T' },
        {
          id: 'X',
          name: 'Petstore',
          description: 'Pets',
          context: '/pets',
          version: '1.0.0',
          provider: 'carol',
          lifeCycleStatus: 'CREATED',
          type: 'HTTP',
          transport: ['http', 'https'],
          tags: [],
          policies: ['Gold', 'Unlimited'],
          apiThrottlingPolicy: null,
          securityScheme: ['oauth2'],
          authorizationHeader: 'Authorization',
          apiKeyHeader: 'apikey',
          visibility: 'PUBLIC',
          visibleRoles: [],
          isDefaultVersion: false,
          endpointConfig: {
            endpoint_type: 'http',
            production_endpoints: { url: 'http://127.0.0.1:9/pets' },
            sandbox_endpoints: { url: 'http://127.0.0.1:9/sandbox' },
          },
          operations: [
            {
              target: '/pets',
              verb: 'GET',
              authType: 'Application & Application User',
              throttlingPolicy: 'Unlimited',
              scopes: [],
            },
            {
              target: '/pets/{id}',
              verb: 'DELETE',
              authType: 'Application & Application User',
              throttlingPolicy: '10KPerMin',
              scopes: [],
            },
          ],
          scopes: [],
          businessInformation: {},
          createdTime: 'T',
          lastUpdatedTime: 'T',
          // Stored settings not sent take WSO2's defaults (api-stored-fields.ts).
          ...storedDefaults(),
        },
      );
      assert.match(api.createdTime, /^\d{13}$/);
      const row = await rawDb(h.store)
        .selectFrom('apis')
        .selectAll()
        .where('id', '=', api.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.context, '/pets');
      assert.equal(JSON.parse(row.definition).context, '/pets');

      const got = await h.app.inject({ method: 'GET', url: `${PUB}/apis/${api.id}`, headers: creator });
      assert.equal(got.statusCode, 200);
      assert.deepEqual(got.json(), api);

      // Second API, then list, search and paging.
      const second = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: adminAuth,
        payload: apiBody({ name: 'Weather', context: '/weather', tags: ['sky'] }),
      });
      assert.equal(second.statusCode, 201);
      const list = await h.app.inject({
        method: 'GET',
        url: `${PUB}/apis?limit=1&offset=1`,
        headers: creator,
      });
      assert.equal(list.statusCode, 200);
      const body = list.json();
      assert.equal(body.count, 1);
      assert.equal(body.list[0].name, 'Weather');
      assert.deepEqual(body.pagination, {
        offset: 1,
        limit: 1,
        total: 2,
        next: '',
        previous: `${PUB}/apis?limit=1&offset=0`,
      });
      assert.deepEqual(Object.keys(body.list[0]).sort(), [
        'context',
        'createdTime',
        'description',
        'hasThumbnail',
        'id',
        'lifeCycleStatus',
        'name',
        'policies',
        'provider',
        'securityScheme',
        'tags',
        'type',
        'updatedTime',
        'version',
        'workflowStatus',
      ]);
      const search = await h.app.inject({
        method: 'GET',
        url: `${PUB}/apis?query=name:pet`,
        headers: creator,
      });
      assert.deepEqual(
        search.json().list.map((a: { name: string }) => a.name),
        ['Petstore'],
      );
      const byTag = await h.app.inject({ method: 'GET', url: `${PUB}/apis?query=tag:sky`, headers: creator });
      assert.deepEqual(
        byTag.json().list.map((a: { name: string }) => a.name),
        ['Weather'],
      );
      const badPage = await h.app.inject({ method: 'GET', url: `${PUB}/apis?limit=-1`, headers: creator });
      assert.equal(badPage.statusCode, 400);
      assert.equal(badPage.json().errorCode, 'VALIDATION_FAILED');

      // PUT: fields present replace, others stay; name cannot change.
      const put = await h.app.inject({
        method: 'PUT',
        url: `${PUB}/apis/${api.id}`,
        headers: creator,
        payload: {
          ...api,
          description: 'Pets v2',
          securityScheme: ['oauth2', 'api_key'],
          scopes: [
            {
              scope: {
                name: 'pets:write',
                displayName: 'Write',
                description: 'write pets',
                bindings: ['admin'],
              },
              shared: false,
            },
          ],
          operations: [{ target: '/pets', verb: 'post', scopes: ['pets:write'] }],
        },
      });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().description, 'Pets v2');
      assert.deepEqual(put.json().securityScheme, ['oauth2', 'api_key']);
      assert.deepEqual(put.json().operations, [
        {
          target: '/pets',
          verb: 'POST',
          authType: 'Application & Application User',
          throttlingPolicy: 'Unlimited',
          scopes: ['pets:write'],
        },
      ]);
      assert.equal(put.json().policies.length, 2);
      // The gateway serves the deployed revision: editing the working copy changes nothing for it.
      assert.deepEqual(
        (await deltas.all()).filter((d) => d.kind === 'api'),
        [],
      );
      const rename = await h.app.inject({
        method: 'PUT',
        url: `${PUB}/apis/${api.id}`,
        headers: creator,
        payload: { name: 'Other' },
      });
      assert.equal(rename.statusCode, 400);
      assert.equal(rename.json().errorCode, 'VALIDATION_FAILED');

      // Delete needs apim:api_delete; creators have it, subscribers do not.
      const del = await h.app.inject({ method: 'DELETE', url: `${PUB}/apis/${api.id}`, headers: creator });
      assert.equal(del.statusCode, 200);
      assert.equal(del.body, '');
      const gone = await h.app.inject({ method: 'GET', url: `${PUB}/apis/${api.id}`, headers: creator });
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.json().errorCode, 'API_NOT_FOUND');
      const again = await h.app.inject({ method: 'DELETE', url: `${PUB}/apis/${api.id}`, headers: creator });
      assert.equal(again.statusCode, 404);
    } finally {
      await h.close();
    }
  });

  test(`publisher APIs on ${d.name}: validation gives clear 400s and writes nothing`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    try {
      const before = await counts(h);
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ context: 'pets' }, /context must start with '\/'/],
        [{ context: '/my pets' }, /context must be a path/],
        [{ name: '' }, /name is required/],
        [{ version: undefined }, /version is required/],
        [{ operations: [{ target: '/x', verb: 'TRACE' }] }, /verb must be one of/],
        [{ operations: [{ target: 'x', verb: 'GET' }] }, /target must start with '\/'/],
        [
          { endpointConfig: { endpoint_type: 'http', production_endpoints: { url: 'ftp://x' } } },
          /production_endpoints.url must be an http\(s\) URL/,
        ],
        [{ operations: [{ target: '/x', verb: 'GET', scopes: ['nope'] }] }, /scope nope is not declared/],
        [{ securityScheme: ['magic'] }, /unknown scheme\(s\) magic/],
        [{ policies: ['Platinum'] }, /subscription policy Platinum does not exist/],
        [
          { operations: [{ target: '/x', verb: 'GET', throttlingPolicy: 'Gold' }] },
          /throttling policy Gold is not an existing advanced/,
        ],
        [{ apiThrottlingPolicy: 'Nope' }, /throttling policy Nope is not an existing advanced/],
      ];
      for (const [over, message] of cases) {
        const res = await h.app.inject({
          method: 'POST',
          url: `${PUB}/apis`,
          headers: adminAuth,
          payload: apiBody(over),
        });
        assert.equal(res.statusCode, 400, `${JSON.stringify(over)} → ${res.body}`);
        assert.equal(res.json().errorCode, 'VALIDATION_FAILED');
        assert.match(res.json().description, message);
      }
      const notJson = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: { ...adminAuth, 'content-type': 'application/json' },
        payload: '{nope',
      });
      assert.equal(notJson.statusCode, 400);
      assert.deepEqual(await counts(h), before);

      const ok = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: adminAuth,
        payload: apiBody(),
      });
      assert.equal(ok.statusCode, 201);
      const dup = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: adminAuth,
        payload: apiBody({ name: 'Other' }),
      });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().errorCode, 'API_EXISTS');
      const dupName = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: adminAuth,
        payload: apiBody({ context: '/other' }),
      });
      assert.equal(dupName.statusCode, 409);
      const otherVersion = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: adminAuth,
        payload: apiBody({ version: '2.0.0' }),
      });
      assert.equal(otherVersion.statusCode, 201);
    } finally {
      await h.close();
    }
  });

  test(`publisher APIs on ${d.name}: security`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    try {
      const none = await h.app.inject({ method: 'GET', url: `${PUB}/apis` });
      assert.equal(none.statusCode, 401);
      assert.equal(none.json().errorCode, 'UNAUTHENTICATED');
      const sub = await userAuth(h, 'sam', ['subscriber']);
      const publisher = await userAuth(h, 'paul', ['publisher']);
      const denied = await h.app.inject({ method: 'GET', url: `${PUB}/apis`, headers: sub });
      assert.equal(denied.statusCode, 403);
      assert.equal(denied.json().errorCode, 'INSUFFICIENT_SCOPE');
      // A publisher (no apim:api_create) cannot create or delete, but can read and run the lifecycle.
      const create = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: publisher,
        payload: apiBody(),
      });
      assert.equal(create.statusCode, 403);
      const made = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: adminAuth,
        payload: apiBody(),
      });
      const id = made.json().id;
      const del = await h.app.inject({ method: 'DELETE', url: `${PUB}/apis/${id}`, headers: publisher });
      assert.equal(del.statusCode, 403);
      const creator = await userAuth(h, 'carol', ['creator']);
      const lc = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/change-lifecycle?apiId=${id}&action=Publish`,
        headers: creator,
      });
      assert.equal(lc.statusCode, 403);
      const lcOk = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/change-lifecycle?apiId=${id}&action=Publish`,
        headers: publisher,
      });
      assert.equal(lcOk.statusCode, 200);
    } finally {
      await h.close();
    }
  });
}
