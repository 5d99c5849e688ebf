import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness, type Harness } from '../../../../test/support/control-plane-harness.js';
import { ADM, adminAuth, userAuth } from '../../publisher/test-support/publisher-fixtures.js';
import { denyPolicyRoutes } from './index.js';

const LIST = `${ADM}/throttling/deny-policies`;
const ONE = `${ADM}/throttling/deny-policy`;

const post = (h: Harness, payload: unknown, headers: Record<string, string> = adminAuth) =>
  h.app.inject({ method: 'POST', url: LIST, headers, payload: payload as object });

for (const d of await testDialects()) {
  test(`deny policies on ${d.name}: create each type, list, filter, PATCH status, delete, deltas`, async () => {
    const h = await createHarness(await d.open(), [denyPolicyRoutes]);
    try {
      const deltas = h.recordDeltas();
      const bodies = [
        { conditionType: 'API', conditionValue: '/pizzashack/1.0.0', conditionStatus: true },
        { conditionType: 'APPLICATION', conditionValue: 'alice:PizzaApp' },
        { conditionType: 'USER', conditionValue: 'mallory' },
        { conditionType: 'IP', conditionValue: { fixedIp: '192.168.1.1', invert: false } },
        {
          conditionType: 'IPRANGE',
          conditionValue: { startingIp: '2001:DB8::1', endingIp: '2001:db8:0:0::ff', invert: true },
        },
      ];
      const created: { conditionId: string; [k: string]: unknown }[] = [];
      for (const b of bodies) {
        const r = await post(h, b);
        assert.equal(r.statusCode, 201, r.body);
        created.push(r.json());
        assert.equal(r.headers.location, `${ONE}/${r.json().conditionId}`);
      }
      assert.deepEqual(created[1]!, {
        conditionId: created[1]!.conditionId,
        conditionType: 'APPLICATION',
        conditionValue: 'alice:PizzaApp',
        conditionStatus: true,
      });
      // IPs come back canonical (lower-case, compressed); invert defaults to false.
      assert.deepEqual(created[4]!.conditionValue, {
        startingIp: '2001:db8::1',
        endingIp: '2001:db8::ff',
        invert: true,
      });

      const list = await h.app.inject({ method: 'GET', url: LIST, headers: adminAuth });
      assert.equal(list.statusCode, 200);
      assert.equal(list.json().count, 5);
      assert.deepEqual(list.json().list, created);
      const filtered = await h.app.inject({
        method: 'GET',
        url: `${LIST}?query=${encodeURIComponent('conditionType:API & conditionValue:/pizzashack/1.0.0')}`,
        headers: adminAuth,
      });
      assert.deepEqual(filtered.json(), { count: 1, list: [created[0]!] });

      const id = created[1]!.conditionId;
      const off = await h.app.inject({
        method: 'PATCH',
        url: `${ONE}/${id}`,
        headers: adminAuth,
        payload: { conditionStatus: false },
      });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(off.json().conditionStatus, false);
      const got = await h.app.inject({ method: 'GET', url: `${ONE}/${id}`, headers: adminAuth });
      assert.equal(got.json().conditionStatus, false);

      const del = await h.app.inject({ method: 'DELETE', url: `${ONE}/${id}`, headers: adminAuth });
      assert.equal(del.statusCode, 200);
      const gone = await h.app.inject({ method: 'GET', url: `${ONE}/${id}`, headers: adminAuth });
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.json().errorCode, 'BLOCKING_CONDITION_NOT_FOUND');

      const all = (await deltas.all()).filter((x) => x.kind === 'blockingcondition');
      const ofApp = all
        .filter((x) => x.key === id)
        .map((x) => (x.kind === 'blockingcondition' ? x.condition : 0));
      // Created (enabled), disabled (removed from gateways), deleted.
      assert.deepEqual(ofApp, [{ id, type: 'APPLICATION', value: 'alice:PizzaApp' }, null, null]);
      const ipDelta = all.find((x) => x.key === created[3]!.conditionId);
      assert.deepEqual(ipDelta?.kind === 'blockingcondition' && ipDelta.condition, {
        id: created[3]!.conditionId,
        type: 'IP',
        fixedIp: '192.168.1.1',
        invert: false,
      });
    } finally {
      await h.close();
    }
  });

  test(`deny policies on ${d.name}: bad input is 400 with a stable code and writes nothing; duplicates 409`, async () => {
    const h = await createHarness(await d.open(), [denyPolicyRoutes]);
    try {
      const bad: unknown[] = [
        [],
        { conditionType: 'SUBSCRIPTION', conditionValue: 'x' },
        { conditionType: 'api', conditionValue: '/pizzashack/1.0.0' },
        { conditionType: 'API', conditionValue: 'pizzashack' },
        { conditionType: 'API', conditionValue: { context: '/a/1' } },
        { conditionType: 'APPLICATION', conditionValue: 'no-owner' },
        { conditionType: 'APPLICATION', conditionValue: ':app' },
        { conditionType: 'USER', conditionValue: '' },
        { conditionType: 'USER', conditionValue: 'has space' },
        { conditionType: 'IP', conditionValue: '10.0.0.1' },
        { conditionType: 'IP', conditionValue: { fixedIp: '10.0.0.256' } },
        { conditionType: 'IP', conditionValue: { fixedIp: '010.0.0.1' } },
        { conditionType: 'IP', conditionValue: { fixedIp: 'fe80::1%eth0' } },
        { conditionType: 'IP', conditionValue: { fixedIp: '10.0.0.1', invert: 'yes' } },
        { conditionType: 'IP', conditionValue: { fixedIp: '10.0.0.1', mask: 8 } },
        { conditionType: 'IPRANGE', conditionValue: { startingIp: '10.0.0.9', endingIp: '10.0.0.1' } },
        { conditionType: 'IPRANGE', conditionValue: { startingIp: '10.0.0.1', endingIp: '::1' } },
        { conditionType: 'IPRANGE', conditionValue: { startingIp: '10.0.0.1' } },
        { conditionType: 'USER', conditionValue: 'bob', conditionStatus: 'true' },
        { conditionType: 'USER', conditionValue: 'bob', extra: 1 },
      ];
      for (const b of bad) {
        const r = await post(h, b);
        assert.equal(r.statusCode, 400, `${JSON.stringify(b)} → ${r.body}`);
        assert.equal(r.json().errorCode, 'INVALID_BLOCKING_CONDITION', JSON.stringify(b));
        assert.equal(r.json().code, 900975);
      }
      const badQuery = await h.app.inject({
        method: 'GET',
        url: `${LIST}?query=owner:x`,
        headers: adminAuth,
      });
      assert.equal(badQuery.statusCode, 400);
      const empty = await h.app.inject({ method: 'GET', url: LIST, headers: adminAuth });
      assert.deepEqual(empty.json(), { count: 0, list: [] });

      const ip = { conditionType: 'IP', conditionValue: { fixedIp: '::FFFF:10.0.0.1' } };
      assert.equal((await post(h, ip)).statusCode, 201);
      const dup = await post(h, {
        conditionType: 'IP',
        conditionValue: { fixedIp: '10.0.0.1', invert: false },
      });
      assert.equal(dup.statusCode, 409, dup.body);
      assert.equal(dup.json().errorCode, 'BLOCKING_CONDITION_EXISTS');
      const id = (await h.app.inject({ method: 'GET', url: LIST, headers: adminAuth })).json().list[0]
        .conditionId;
      for (const payload of [{}, { conditionStatus: 'false' }, { conditionStatus: true, more: 1 }]) {
        const r = await h.app.inject({ method: 'PATCH', url: `${ONE}/${id}`, headers: adminAuth, payload });
        assert.equal(r.statusCode, 400, r.body);
      }
      const missing = await h.app.inject({
        method: 'PATCH',
        url: `${ONE}/00000000-0000-0000-0000-000000000000`,
        headers: adminAuth,
        payload: { conditionStatus: false },
      });
      assert.equal(missing.statusCode, 404);
      const delMissing = await h.app.inject({ method: 'DELETE', url: `${ONE}/nope`, headers: adminAuth });
      assert.equal(delMissing.statusCode, 404);
    } finally {
      await h.close();
    }
  });

  test(`deny policies on ${d.name}: admin only (401 without credentials, 403 for a subscriber)`, async () => {
    const h = await createHarness(await d.open(), [denyPolicyRoutes]);
    try {
      const body = { conditionType: 'USER', conditionValue: 'bob' };
      assert.equal((await h.app.inject({ method: 'GET', url: LIST })).statusCode, 401);
      assert.equal((await h.app.inject({ method: 'POST', url: LIST, payload: body })).statusCode, 401);
      const sub = await userAuth(h, 'carol', ['subscriber']);
      assert.equal((await h.app.inject({ method: 'GET', url: LIST, headers: sub })).statusCode, 403);
      assert.equal((await post(h, body, sub)).statusCode, 403);
      const empty = await h.app.inject({ method: 'GET', url: LIST, headers: adminAuth });
      assert.equal(empty.json().count, 0);
    } finally {
      await h.close();
    }
  });
}
