import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness } from '../../../../test/support/control-plane-harness.js';
import type { DeltaBatch } from '../../../core/index.js';
import { publisherRoutes } from '../../publisher/index.js';
import {
  adminAuth,
  counts,
  DEV,
  insertApplication,
  PUB,
  publishedApi,
  userAuth,
} from '../../publisher/test-support/publisher-fixtures.js';
import { devportalSubscriptionRoutes } from './index.js';

for (const d of await testDialects()) {
  test(`devportal subscriptions on ${d.name}: subscribe, list, get, change tier, unsubscribe`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes(), devportalSubscriptionRoutes]);
    try {
      const apiId = await publishedApi(h);
      const sam = await userAuth(h, 'sam', ['subscriber']);
      const app = await insertApplication(h, 'sam', 'SamApp');
      const deltas = h.recordDeltas();

      const res = await h.app.inject({
        method: 'POST',
        url: `${DEV}/subscriptions`,
        headers: sam,
        payload: { applicationId: app.uuid, apiId, throttlingPolicy: 'Gold' },
      });
      assert.equal(res.statusCode, 201, res.body);
      const sub = res.json();
      assert.equal(res.headers.location, `${DEV}/subscriptions/${sub.subscriptionId}`);
      assert.deepEqual(Object.keys(sub), [
        'subscriptionId',
        'applicationId',
        'apiId',
        'apiInfo',
        'applicationInfo',
        'throttlingPolicy',
        'requestedThrottlingPolicy',
        'status',
        'redirectionParams',
      ]);
      assert.equal(sub.applicationId, app.uuid);
      assert.equal(sub.apiId, apiId);
      assert.equal(sub.throttlingPolicy, 'Gold');
      assert.equal(sub.requestedThrottlingPolicy, 'Gold');
      assert.equal(sub.status, 'UNBLOCKED');
      assert.equal(sub.apiInfo.name, 'Petstore');
      assert.equal(sub.apiInfo.context, '/pets/1.0.0');
      assert.deepEqual(sub.applicationInfo, {
        applicationId: app.uuid,
        name: 'SamApp',
        throttlingPolicy: 'Unlimited',
        description: '',
        status: 'APPROVED',
        groups: [],
        subscriptionCount: 1,
        attributes: {},
        owner: 'sam',
        tokenType: 'JWT',
      });
      assert.ok(
        (await deltas.all()).some(
          (d) =>
            d.kind === 'subscription' && d.key === sub.subscriptionId && d.subscription?.policy === 'Gold',
        ),
      );
      const snap = await h.ctx.snapshots.rebuild();
      assert.deepEqual(
        snap.subscriptions.find((s) => s.id === sub.subscriptionId),
        {
          id: sub.subscriptionId,
          applicationId: app.id,
          apiId,
          policy: 'Gold',
          status: 'UNBLOCKED',
        },
      );

      const byApp = await h.app.inject({
        method: 'GET',
        url: `${DEV}/subscriptions?applicationId=${app.uuid}`,
        headers: sam,
      });
      assert.equal(byApp.json().count, 1);
      assert.deepEqual(byApp.json().list[0], sub);
      const byApi = await h.app.inject({
        method: 'GET',
        url: `${DEV}/subscriptions?apiId=${apiId}`,
        headers: sam,
      });
      assert.deepEqual(
        byApi.json().list.map((s: { subscriptionId: string }) => s.subscriptionId),
        [sub.subscriptionId],
      );
      const neither = await h.app.inject({ method: 'GET', url: `${DEV}/subscriptions`, headers: sam });
      assert.equal(neither.statusCode, 400);
      const got = await h.app.inject({
        method: 'GET',
        url: `${DEV}/subscriptions/${sub.subscriptionId}`,
        headers: sam,
      });
      assert.deepEqual(got.json(), sub);

      const put = await h.app.inject({
        method: 'PUT',
        url: `${DEV}/subscriptions/${sub.subscriptionId}`,
        headers: sam,
        payload: { applicationId: app.uuid, apiId, throttlingPolicy: 'Unlimited' },
      });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().throttlingPolicy, 'Unlimited');
      const putBad = await h.app.inject({
        method: 'PUT',
        url: `${DEV}/subscriptions/${sub.subscriptionId}`,
        headers: sam,
        payload: { applicationId: app.uuid, apiId, throttlingPolicy: 'Silver' },
      });
      assert.equal(putBad.statusCode, 400);
      assert.match(putBad.json().description, /not offered/);

      const del = await h.app.inject({
        method: 'DELETE',
        url: `${DEV}/subscriptions/${sub.subscriptionId}`,
        headers: sam,
      });
      assert.equal(del.statusCode, 200);
      assert.equal(
        (
          await h.app.inject({
            method: 'GET',
            url: `${DEV}/subscriptions/${sub.subscriptionId}`,
            headers: sam,
          })
        ).statusCode,
        404,
      );
      assert.equal((await h.ctx.snapshots.rebuild()).subscriptions.length, 0);
    } finally {
      await h.close();
    }
  });

  test(`devportal subscriptions on ${d.name}: errors and security write nothing`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes(), devportalSubscriptionRoutes]);
    try {
      const apiId = await publishedApi(h);
      const draftId = (
        await h.app.inject({
          method: 'POST',
          url: `${PUB}/apis`,
          headers: adminAuth,
          payload: { name: 'Draft', context: '/draft', version: '1' },
        })
      ).json().id;
      const sam = await userAuth(h, 'sam', ['subscriber']);
      const app = await insertApplication(h, 'sam', 'SamApp');
      const pending = await insertApplication(h, 'sam', 'Pending', 'CREATED');
      const eve = await userAuth(h, 'eve', ['subscriber']);
      const publisher = await userAuth(h, 'paul', ['publisher']);
      const before = await counts(h);
      const post = (headers: Record<string, string>, payload: unknown) =>
        h.app.inject({ method: 'POST', url: `${DEV}/subscriptions`, headers, payload: payload as object });
      const ok = { applicationId: app.uuid, apiId, throttlingPolicy: 'Gold' };

      assert.equal(
        (await h.app.inject({ method: 'POST', url: `${DEV}/subscriptions`, payload: ok })).statusCode,
        401,
      );
      assert.equal((await post(publisher, ok)).statusCode, 403);
      const others = await post(eve, ok);
      assert.equal(others.statusCode, 404);
      assert.equal(others.json().errorCode, 'APPLICATION_NOT_FOUND');
      const cases: [unknown, number, string][] = [
        [{ ...ok, throttlingPolicy: 'Silver' }, 400, 'VALIDATION_FAILED'],
        [{ ...ok, throttlingPolicy: undefined }, 400, 'VALIDATION_FAILED'],
        [{ ...ok, apiId: draftId }, 404, 'API_NOT_FOUND'],
        [{ ...ok, apiId: '00000000-0000-0000-0000-000000000000' }, 404, 'API_NOT_FOUND'],
        [{ ...ok, applicationId: pending.uuid }, 400, 'VALIDATION_FAILED'],
        [[ok], 400, 'VALIDATION_FAILED'],
      ];
      for (const [payload, status, code] of cases) {
        const r = await post(sam, payload);
        assert.equal(r.statusCode, status, `${JSON.stringify(payload)}: ${r.body}`);
        assert.equal(r.json().errorCode, code);
      }
      assert.deepEqual(await counts(h), before);

      const first = await post(sam, ok);
      assert.equal(first.statusCode, 201);
      const dup = await post(sam, ok);
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().errorCode, 'SUBSCRIPTION_EXISTS');
      const id = first.json().subscriptionId;
      // Another user sees none of it.
      for (const [method, url] of [
        ['GET', `${DEV}/subscriptions/${id}`],
        ['DELETE', `${DEV}/subscriptions/${id}`],
        ['GET', `${DEV}/subscriptions?applicationId=${app.uuid}`],
      ] as const) {
        const r = await h.app.inject({ method, url, headers: eve });
        assert.equal(r.statusCode, 404, `${method} ${url}`);
      }
      const eveByApi = await h.app.inject({
        method: 'GET',
        url: `${DEV}/subscriptions?apiId=${apiId}`,
        headers: eve,
      });
      assert.equal(eveByApi.json().count, 0);
      const evePut = await h.app.inject({
        method: 'PUT',
        url: `${DEV}/subscriptions/${id}`,
        headers: eve,
        payload: { ...ok, throttlingPolicy: 'Unlimited' },
      });
      assert.equal(evePut.statusCode, 404);

      // Blocked subscriptions keep their tier; deprecated APIs take no new subscriptions.
      await h.app.inject({
        method: 'POST',
        url: `${PUB}/subscriptions/block-subscription?subscriptionId=${id}&blockState=BLOCKED`,
        headers: adminAuth,
      });
      const blockedPut = await h.app.inject({
        method: 'PUT',
        url: `${DEV}/subscriptions/${id}`,
        headers: sam,
        payload: { ...ok, throttlingPolicy: 'Unlimited' },
      });
      assert.equal(blockedPut.statusCode, 400);
      const app2 = await insertApplication(h, 'sam', 'Second');
      await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/change-lifecycle?apiId=${apiId}&action=Deprecate`,
        headers: adminAuth,
      });
      const deprecated = await post(sam, { ...ok, applicationId: app2.uuid });
      assert.equal(deprecated.statusCode, 400);
      assert.match(deprecated.json().description, /DEPRECATED/);
    } finally {
      await h.close();
    }
  });

  test(`devportal subscriptions on ${d.name}: multiple is all or nothing`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes(), devportalSubscriptionRoutes]);
    try {
      const a1 = await publishedApi(h);
      const a2 = await publishedApi(h, { name: 'Second', context: '/second' });
      const sam = await userAuth(h, 'sam', ['subscriber']);
      const app = await insertApplication(h, 'sam', 'SamApp');
      const bad = await h.app.inject({
        method: 'POST',
        url: `${DEV}/subscriptions/multiple`,
        headers: sam,
        payload: [
          { applicationId: app.uuid, apiId: a1, throttlingPolicy: 'Gold' },
          { applicationId: app.uuid, apiId: a2, throttlingPolicy: 'Platinum' },
        ],
      });
      assert.equal(bad.statusCode, 400);
      assert.equal((await counts(h)).subscriptions, 0);
      const empty = await h.app.inject({
        method: 'POST',
        url: `${DEV}/subscriptions/multiple`,
        headers: sam,
        payload: [],
      });
      assert.equal(empty.statusCode, 400);
      const ok = await h.app.inject({
        method: 'POST',
        url: `${DEV}/subscriptions/multiple`,
        headers: sam,
        payload: [
          { applicationId: app.uuid, apiId: a1, throttlingPolicy: 'Gold' },
          { applicationId: app.uuid, apiId: a2, throttlingPolicy: 'Unlimited' },
        ],
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(
        ok.json().map((s: { apiId: string; throttlingPolicy: string }) => [s.apiId, s.throttlingPolicy]),
        [
          [a1, 'Gold'],
          [a2, 'Unlimited'],
        ],
      );
      assert.equal((await counts(h)).subscriptions, 2);
    } finally {
      await h.close();
    }
  });

  test(`devportal subscriptions on ${d.name}: a new subscription reaches the gateways as a delta within 1 s`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes(), devportalSubscriptionRoutes]);
    try {
      const apiId = await publishedApi(h);
      const sam = await userAuth(h, 'sam', ['subscriber']);
      const app = await insertApplication(h, 'sam', 'SamApp');
      await h.ctx.snapshots.rebuild();
      const batches: DeltaBatch[] = [];
      let wanted = '';
      let resolveSeen: (policy: string) => void = () => {};
      const seen = new Promise<string>((r) => (resolveSeen = r));
      const check = (): void => {
        for (const b of batches)
          for (const x of b.deltas)
            if (x.kind === 'subscription' && x.key === wanted && x.subscription)
              resolveSeen(x.subscription.policy);
      };
      const unsubscribe = h.ctx.snapshots.subscribeChanges!((b) => {
        batches.push(b);
        if (wanted) check();
      });
      // Basic auth hashing is part of the request; measure from the moment the request is sent.
      const started = performance.now();
      const res = await h.app.inject({
        method: 'POST',
        url: `${DEV}/subscriptions`,
        headers: sam,
        payload: { applicationId: app.uuid, apiId, throttlingPolicy: 'Gold' },
      });
      assert.equal(res.statusCode, 201);
      wanted = res.json().subscriptionId;
      check();
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('not propagated in 1 s')), 1000).unref(),
      );
      const policy = await Promise.race([seen, timeout]);
      const elapsed = performance.now() - started;
      unsubscribe();
      assert.ok(elapsed < 1000, `propagation took ${elapsed.toFixed(0)} ms`);
      assert.equal(policy, 'Gold');
      const snap = await h.ctx.snapshots.current();
      assert.equal(
        snap.subscriptions.find((s) => s.id === wanted)?.policy,
        'Gold',
        'and the next full snapshot has it',
      );
    } finally {
      await h.close();
    }
  });
}
