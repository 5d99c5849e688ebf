import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ensureDefaultApplication,
  RESIDENT_KEY_MANAGER_ID,
} from '../../src/control-plane/devportal/index.js';
import { testDialects } from '../support/dialects.js';
import { ADMIN, basic } from '../support/control-plane-harness.js';
import { createApp, DP, dpPost, generateKeys, kmHarness, userAuth } from './oauth2-fixtures.js';
import { rawDb } from '../support/raw-db.js';

for (const d of await testDialects()) {
  test(`applications: create, read, list, update, delete with WSO2 shapes (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const deltas = h.recordDeltas();
      const dana = await userAuth(h, 'dana', ['subscriber']);
      const res = await dpPost(h, dana, '/applications', {
        name: 'PizzaApp',
        throttlingPolicy: '10PerMin',
        description: 'Orders pizza',
        tokenType: 'JWT',
        attributes: { team: 'web' },
      });
      assert.equal(res.statusCode, 201, res.body);
      const app = res.json();
      assert.equal(res.headers.location, `https://localhost:9443${DP}/applications/${app.applicationId}`);
      assert.match(app.applicationId, /^[0-9a-f-]{36}$/);
      assert.deepEqual(app, {
        applicationId: app.applicationId,
        name: 'PizzaApp',
        throttlingPolicy: '10PerMin',
        description: 'Orders pizza',
        tokenType: 'JWT',
        status: 'APPROVED',
        groups: [],
        subscriptionCount: 0,
        keys: [],
        attributes: { team: 'web' },
        subscriptionScopes: [],
        owner: 'dana',
        hashEnabled: true,
        createdTime: app.createdTime,
        updatedTime: app.updatedTime,
      });
      assert.match(app.createdTime, /^\d{13}$/);
      assert.deepEqual(
        (await deltas.all()).map((d) => [d.kind, d.kind === 'application' && d.application?.uuid]),
        [['application', app.applicationId]],
      );

      const dup = await dpPost(h, dana, '/applications', { name: 'PizzaApp', throttlingPolicy: 'Unlimited' });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().errorCode, 'APPLICATION_EXISTS');
      // The same name is fine for another owner.
      const erin = await userAuth(h, 'erin', ['subscriber']);
      await createApp(h, erin, 'PizzaApp');

      const got = await h.app.inject({
        method: 'GET',
        url: `${DP}/applications/${app.applicationId}`,
        headers: { authorization: dana },
      });
      assert.equal(got.statusCode, 200);
      assert.deepEqual(got.json(), app);

      // List: the lazily created DefaultApplication plus three more, paged, searched and sorted.
      await createApp(h, dana, 'alpha');
      await createApp(h, dana, 'Zeta', '50PerMin');
      const list = await h.app.inject({
        method: 'GET',
        url: `${DP}/applications?limit=2&offset=1&sortBy=name&sortOrder=desc`,
        headers: { authorization: dana },
      });
      assert.equal(list.statusCode, 200, list.body);
      const body = list.json();
      assert.equal(body.count, 2);
      assert.deepEqual(
        body.list.map((a: { name: string }) => a.name),
        ['PizzaApp', 'DefaultApplication'],
      );
      assert.deepEqual(body.pagination, {
        offset: 1,
        limit: 2,
        total: 4,
        next: '/applications?limit=2&offset=3',
        previous: '/applications?limit=2&offset=0',
      });
      assert.deepEqual(Object.keys(body.list[0]), [
        'applicationId',
        'name',
        'throttlingPolicy',
        'description',
        'status',
        'groups',
        'subscriptionCount',
        'attributes',
        'owner',
        'createdTime',
        'updatedTime',
      ]);
      const search = await h.app.inject({
        method: 'GET',
        url: `${DP}/applications?query=pizza`,
        headers: { authorization: dana },
      });
      assert.deepEqual(
        search.json().list.map((a: { name: string }) => a.name),
        ['PizzaApp'],
      );
      const byPolicy = await h.app.inject({
        method: 'GET',
        url: `${DP}/applications?sortBy=throttlingPolicy`,
        headers: { authorization: dana },
      });
      assert.deepEqual(
        byPolicy.json().list.map((a: { throttlingPolicy: string }) => a.throttlingPolicy),
        ['10PerMin', '50PerMin', 'Unlimited', 'Unlimited'],
      );

      const put = await h.app.inject({
        method: 'PUT',
        url: `${DP}/applications/${app.applicationId}`,
        headers: { authorization: dana, 'content-type': 'application/json' },
        // WSO2 clients PUT back what they GET, read-only fields included.
        payload: JSON.stringify({
          ...app,
          name: 'PizzaApp2',
          throttlingPolicy: '20PerMin',
          description: 'changed',
        }),
      });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().name, 'PizzaApp2');
      assert.equal(put.json().throttlingPolicy, '20PerMin');
      assert.equal(put.json().owner, 'dana');
      const clash = await h.app.inject({
        method: 'PUT',
        url: `${DP}/applications/${app.applicationId}`,
        headers: { authorization: dana, 'content-type': 'application/json' },
        payload: JSON.stringify({ name: 'alpha', throttlingPolicy: 'Unlimited' }),
      });
      assert.equal(clash.statusCode, 409);

      const keys = await generateKeys(h, dana, app.applicationId);
      const del = await h.app.inject({
        method: 'DELETE',
        url: `${DP}/applications/${app.applicationId}`,
        headers: { authorization: dana },
      });
      assert.equal(del.statusCode, 200);
      const gone = await h.app.inject({
        method: 'GET',
        url: `${DP}/applications/${app.applicationId}`,
        headers: { authorization: dana },
      });
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.json().errorCode, 'APPLICATION_NOT_FOUND');
      // Its generated OAuth client went with it.
      assert.equal(
        await rawDb(h.store)
          .selectFrom('oauth_clients')
          .select('client_id')
          .where('client_id', '=', keys.consumerKey)
          .executeTakeFirst(),
        undefined,
      );
      const last = (await deltas.all()).at(-1);
      assert.equal(last?.kind, 'application');
      assert.equal(last?.kind === 'application' && last.application, null, 'the removal is relayed');
    } finally {
      await h.close();
    }
  });

  test(`applications: another user's application is 404; auth and scopes enforced (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const owner = await userAuth(h, 'olga', ['subscriber']);
      const intruder = await userAuth(h, 'ivan', ['subscriber']);
      const creator = await userAuth(h, 'cora', ['creator']);
      const id = await createApp(h, owner, 'Private');
      for (const [method, payload] of [
        ['GET', undefined],
        ['PUT', { name: 'Mine', throttlingPolicy: 'Unlimited' }],
        ['DELETE', undefined],
      ] as const) {
        const r = await h.app.inject({
          method,
          url: `${DP}/applications/${id}`,
          headers: { authorization: intruder, ...(payload ? { 'content-type': 'application/json' } : {}) },
          ...(payload ? { payload: JSON.stringify(payload) } : {}),
        });
        assert.equal(r.statusCode, 404, `${method} ${r.body}`);
        assert.equal(r.json().errorCode, 'APPLICATION_NOT_FOUND');
      }
      const admin = await h.app.inject({
        method: 'GET',
        url: `${DP}/applications/${id}`,
        headers: { authorization: basic(ADMIN.username, ADMIN.password) },
      });
      assert.equal(admin.statusCode, 404);
      const list = await h.app.inject({
        method: 'GET',
        url: `${DP}/applications`,
        headers: { authorization: intruder },
      });
      assert.deepEqual(
        list.json().list.map((a: { name: string }) => a.name),
        ['DefaultApplication'],
      );
      const row = await rawDb(h.store)
        .selectFrom('applications')
        .selectAll()
        .where('uuid', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(row.name, 'Private');

      const anon = await h.app.inject({ method: 'GET', url: `${DP}/applications` });
      assert.equal(anon.statusCode, 401);
      assert.equal(anon.json().errorCode, 'UNAUTHENTICATED');
      const noScope = await h.app.inject({
        method: 'GET',
        url: `${DP}/applications`,
        headers: { authorization: creator },
      });
      assert.equal(noScope.statusCode, 403);
      assert.equal(noScope.json().errorCode, 'INSUFFICIENT_SCOPE');
    } finally {
      await h.close();
    }
  });

  test(`applications: malformed input is 400 VALIDATION_FAILED and writes nothing (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const admin = basic(ADMIN.username, ADMIN.password);
      const count = async () =>
        (await rawDb(h.store).selectFrom('applications').select('id').execute()).length;
      const before = await count();
      const cases: [string, string][] = [
        ['{"name": "x", ', 'BAD_REQUEST'],
        [JSON.stringify({ throttlingPolicy: 'Unlimited' }), 'VALIDATION_FAILED'],
        [JSON.stringify({ name: 'x'.repeat(101), throttlingPolicy: 'Unlimited' }), 'VALIDATION_FAILED'],
        [JSON.stringify({ name: '   ', throttlingPolicy: 'Unlimited' }), 'VALIDATION_FAILED'],
        [
          JSON.stringify({ name: 'ok', throttlingPolicy: 'Unlimited', description: 'd'.repeat(513) }),
          'VALIDATION_FAILED',
        ],
        [JSON.stringify({ name: 'ok', throttlingPolicy: 'Gold' }), 'VALIDATION_FAILED'],
        [JSON.stringify({ name: 'ok', throttlingPolicy: 'NoSuchPolicy' }), 'VALIDATION_FAILED'],
        [
          JSON.stringify({ name: 'ok', throttlingPolicy: 'Unlimited', tokenType: 'OPAQUE' }),
          'VALIDATION_FAILED',
        ],
        [
          JSON.stringify({ name: 'ok', throttlingPolicy: 'Unlimited', attributes: { a: 1 } }),
          'VALIDATION_FAILED',
        ],
        [JSON.stringify(['not', 'an', 'object']), 'VALIDATION_FAILED'],
      ];
      for (const [payload, code] of cases) {
        const r = await h.app.inject({
          method: 'POST',
          url: `${DP}/applications`,
          headers: { authorization: admin, 'content-type': 'application/json' },
          payload,
        });
        assert.equal(r.statusCode, 400, payload);
        assert.equal(r.json().errorCode, code, payload);
      }
      const badQuery = await h.app.inject({
        method: 'GET',
        url: `${DP}/applications?limit=abc`,
        headers: { authorization: admin },
      });
      assert.equal(badQuery.statusCode, 400);
      assert.equal(badQuery.json().errorCode, 'VALIDATION_FAILED');
      const badSort = await h.app.inject({
        method: 'GET',
        url: `${DP}/applications?sortBy=owner`,
        headers: { authorization: admin },
      });
      assert.equal(badSort.statusCode, 400);
      assert.equal(await count(), before);
    } finally {
      await h.close();
    }
  });

  test(`DefaultApplication: created once for a subscriber (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const fay = await userAuth(h, 'fay', ['subscriber']);
      const list = async () =>
        (
          await h.app.inject({ method: 'GET', url: `${DP}/applications`, headers: { authorization: fay } })
        ).json();
      const first = await list();
      assert.equal(first.count, 1);
      assert.equal(first.list[0].name, 'DefaultApplication');
      assert.equal(first.list[0].throttlingPolicy, 'Unlimited');
      assert.equal((await list()).count, 1);
      // Deleted on purpose: not recreated.
      await h.app.inject({
        method: 'DELETE',
        url: `${DP}/applications/${first.list[0].applicationId}`,
        headers: { authorization: fay },
      });
      assert.equal((await list()).count, 0);
      // Sign-up can call it directly; the admin (no subscriber role) gets none through the list.
      assert.equal(typeof (await ensureDefaultApplication(h.store, h.changes, 'gus')), 'string');
      assert.equal(await ensureDefaultApplication(h.store, h.changes, 'gus'), null);
      const admin = await h.app.inject({
        method: 'GET',
        url: `${DP}/applications`,
        headers: { authorization: basic(ADMIN.username, ADMIN.password) },
      });
      assert.equal(admin.json().count, 0);
    } finally {
      await h.close();
    }
  });

  test(`throttling policies and key managers (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const hal = await userAuth(h, 'hal', ['subscriber']);
      const apps = await h.app.inject({
        method: 'GET',
        url: `${DP}/throttling-policies/application`,
        headers: { authorization: hal },
      });
      assert.equal(apps.statusCode, 200);
      assert.deepEqual(
        apps
          .json()
          .list.map((p: { name: string }) => p.name)
          .sort(),
        ['10PerMin', '20PerMin', '50PerMin', 'Unlimited'],
      );
      assert.deepEqual(
        apps.json().list.find((p: { name: string }) => p.name === '10PerMin'),
        {
          name: '10PerMin',
          description: 'Allows 10 request per minute',
          policyLevel: 'application',
          displayName: '10PerMin',
          attributes: {},
          requestCount: 10,
          dataUnit: null,
          unitTime: 60000,
          timeUnit: 'min',
          rateLimitCount: 0,
          rateLimitTimeUnit: null,
          quotaPolicyType: 'REQUESTCOUNT',
          tierPlan: 'FREE',
          stopOnQuotaReach: true,
          monetizationAttributes: null,
          throttlingPolicyPermissions: null,
        },
      );
      assert.deepEqual(apps.json().pagination, { offset: 0, limit: 25, total: 4, next: '', previous: '' });
      const subs = await h.app.inject({
        method: 'GET',
        url: `${DP}/throttling-policies/subscription`,
        headers: { authorization: hal },
      });
      assert.deepEqual(
        subs
          .json()
          .list.map((p: { name: string }) => p.name)
          .sort(),
        ['Bronze', 'Gold', 'Silver', 'Unauthenticated', 'Unlimited'],
      );
      const gold = await h.app.inject({
        method: 'GET',
        url: `${DP}/throttling-policies/subscription/Gold`,
        headers: { authorization: hal },
      });
      assert.equal(gold.json().requestCount, 5000);
      const missing = await h.app.inject({
        method: 'GET',
        url: `${DP}/throttling-policies/subscription/Platinum`,
        headers: { authorization: hal },
      });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().errorCode, 'POLICY_NOT_FOUND');
      const badLevel = await h.app.inject({
        method: 'GET',
        url: `${DP}/throttling-policies/api`,
        headers: { authorization: hal },
      });
      assert.equal(badLevel.statusCode, 400);
      assert.equal(
        (await h.app.inject({ method: 'GET', url: `${DP}/throttling-policies/application` })).statusCode,
        401,
      );

      const now = Date.now();
      await rawDb(h.store)
        .insertInto('key_managers')
        .values([
          {
            uuid: 'km-okta',
            name: 'Okta',
            type: 'Okta',
            enabled: 1,
            definition: JSON.stringify({
              displayName: 'Okta',
              clientSecret: 'connector-secret',
              availableGrantTypes: ['client_credentials'],
            }),
            created_at: now,
            updated_at: now,
          },
          {
            uuid: 'km-off',
            name: 'Disabled',
            type: 'Keycloak',
            enabled: 0,
            definition: '{}',
            created_at: now,
            updated_at: now,
          },
        ])
        .execute();
      const kms = await h.app.inject({
        method: 'GET',
        url: `${DP}/key-managers`,
        headers: { authorization: hal },
      });
      assert.equal(kms.statusCode, 200);
      assert.equal(kms.json().count, 2);
      assert.deepEqual(kms.json().list[0], {
        id: RESIDENT_KEY_MANAGER_ID,
        name: 'Resident Key Manager',
        type: 'default',
        displayName: 'Resident Key Manager',
        description: 'This is Resident Key Manager',
        enabled: true,
        availableGrantTypes: ['client_credentials', 'password', 'refresh_token'],
        tokenEndpoint: 'https://localhost:9443/oauth2/token',
        revokeEndpoint: 'https://localhost:9443/oauth2/revoke',
        userInfoEndpoint: '',
        enableTokenGeneration: true,
        enableTokenEncryption: false,
        enableTokenHashing: true,
        enableOAuthAppCreation: true,
        enableMapOAuthConsumerApps: true,
        applicationConfiguration: [],
        alias: '',
        additionalProperties: {},
        tokenType: 'DIRECT',
      });
      assert.equal(kms.json().list[1].name, 'Okta');
      assert.doesNotMatch(kms.body, /connector-secret/);
      assert.equal((await h.app.inject({ method: 'GET', url: `${DP}/key-managers` })).statusCode, 401);
    } finally {
      await h.close();
    }
  });
}
