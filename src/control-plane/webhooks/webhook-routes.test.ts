import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { ADMIN, basic, createHarness, type Harness } from '../../../test/support/control-plane-harness.js';
import { dumpDatabase } from '../../../test/support/full-control-plane.js';
import { auditRoutes } from '../audit/index.js';
import { webhookRoutes } from './webhook-routes.js';

const URL_ = '/api/am/admin/v4/webhooks';
const auth = { authorization: basic(ADMIN.username, ADMIN.password) };
const inject = (
  h: Harness,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
  headers = auth,
) => h.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

for (const d of await testDialects()) {
  test(`/webhooks on ${d.name}: create shows the secret once, read, replace, list, delete; every change audited`, async () => {
    const h = await createHarness(await d.open(), [webhookRoutes, auditRoutes]);
    try {
      const created = await inject(h, 'POST', URL_, {
        url: 'https://hooks.example.com/portico?token=receiver-token-1',
        events: ['apikey.revoked', 'apikey.created'],
        description: 'SIEM',
      });
      assert.equal(created.statusCode, 201, created.body);
      const dto = created.json() as Record<string, unknown> & { id: string; secret: string };
      assert.equal(created.headers.location, `${URL_}/${dto.id}`);
      assert.deepEqual(Object.keys(dto).sort(), [
        'createdBy',
        'createdTime',
        'description',
        'enabled',
        'events',
        'id',
        'secret',
        'secretHint',
        'updatedTime',
        'url',
      ]);
      assert.deepEqual(dto.events, ['apikey.created', 'apikey.revoked']);
      assert.equal(dto.enabled, true);
      assert.equal(dto.createdBy, 'admin');

      const one = await inject(h, 'GET', `${URL_}/${dto.id}`);
      assert.equal(one.statusCode, 200);
      const { secret, ...rest } = dto;
      assert.deepEqual(one.json(), rest, 'the same endpoint, without its secret');
      assert.ok(!one.body.includes(secret));

      const replaced = await inject(h, 'PUT', `${URL_}/${dto.id}`, {
        url: 'https://hooks.example.com/v2',
        events: [],
        enabled: false,
      });
      assert.equal(replaced.statusCode, 200, replaced.body);
      const r = replaced.json() as Record<string, unknown>;
      assert.equal(r.url, 'https://hooks.example.com/v2');
      assert.deepEqual(r.events, []);
      assert.equal(r.enabled, false);
      assert.equal(r.description, '');
      assert.equal(r.secretHint, dto.secretHint, 'a replace keeps the secret');

      const disabledTest = await inject(h, 'POST', `${URL_}/${dto.id}/test`);
      assert.equal(disabledTest.statusCode, 409);
      assert.equal(disabledTest.json().errorCode, 'WEBHOOK_DISABLED');

      const list = await inject(h, 'GET', `${URL_}?limit=10`);
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json().pagination, { offset: 0, limit: 10, total: 1, next: '', previous: '' });
      assert.ok(!list.body.includes(secret));

      assert.equal((await inject(h, 'DELETE', `${URL_}/${dto.id}`)).statusCode, 200);
      const gone = await inject(h, 'GET', `${URL_}/${dto.id}`);
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.json().errorCode, 'WEBHOOK_NOT_FOUND');
      assert.equal(gone.json().code, 909500);
      assert.equal((await inject(h, 'DELETE', `${URL_}/${dto.id}`)).statusCode, 404);
      assert.equal((await inject(h, 'GET', `${URL_}/${dto.id}/deliveries`)).statusCode, 404);

      const audit = await inject(h, 'GET', '/api/am/admin/v4/audit-events?action=webhook.*');
      const events = (audit.json() as { list: { action: string; target: { id: string }; details: object }[] })
        .list;
      assert.deepEqual(
        events.map((e) => [e.action, e.target.id]),
        [
          ['webhook.deleted', dto.id],
          ['webhook.updated', dto.id],
          ['webhook.created', dto.id],
        ],
      );
      assert.deepEqual(events[2]!.details, {
        origin: 'https://hooks.example.com',
        enabled: true,
        events: 'apikey.created,apikey.revoked',
      });
      // Neither the secret nor the receiver's token in its URL query reaches the audit log.
      assert.ok(!audit.body.includes(secret) && !audit.body.includes('receiver-token-1'));
    } finally {
      await h.close();
    }
  });

  test(`/webhooks on ${d.name}: bad bodies and URLs are 400 with a stable code and write nothing`, async () => {
    const h = await createHarness(await d.open(), [webhookRoutes]);
    try {
      const before = await dumpDatabase(h.store);
      const cases: [unknown, number, string][] = [
        [{ url: 'http://hooks.example.com/' }, 400, 'WEBHOOK_URL_FORBIDDEN'],
        [{ url: 'ftp://hooks.example.com/' }, 400, 'WEBHOOK_URL_FORBIDDEN'],
        [{ url: 'https://user:pw@hooks.example.com/' }, 400, 'WEBHOOK_URL_FORBIDDEN'],
        [{ url: 'https://hooks.example.com/#x' }, 400, 'WEBHOOK_URL_FORBIDDEN'],
        [{ url: 'https://127.0.0.1/' }, 400, 'WEBHOOK_URL_FORBIDDEN'],
        [{ url: 'https://[::1]:8443/' }, 400, 'WEBHOOK_URL_FORBIDDEN'],
        [{ url: 'https://10.1.2.3/' }, 400, 'WEBHOOK_URL_FORBIDDEN'],
        [{ url: 'https://169.254.169.254/latest/meta-data' }, 400, 'WEBHOOK_URL_FORBIDDEN'],
        [{ url: 'https://localhost/' }, 400, 'WEBHOOK_URL_FORBIDDEN'],
        [{ url: 'http://127.0.0.1:9/' }, 400, 'WEBHOOK_URL_FORBIDDEN'],
        [{ url: 'not a url' }, 400, 'INVALID_WEBHOOK'],
        [{ url: `https://hooks.example.com/${'a'.repeat(2100)}` }, 400, 'VALIDATION_FAILED'],
        [{ url: 'https://hooks.example.com/', events: ['apikey.exploded'] }, 400, 'INVALID_WEBHOOK'],
        [{ url: 'https://hooks.example.com/', events: ['webhook.test'] }, 400, 'INVALID_WEBHOOK'],
        [{ url: 'https://hooks.example.com/', description: 'a\u0000b' }, 400, 'VALIDATION_FAILED'],
        [{ url: 'https://hooks.example.com/', secret: 'mine' }, 400, 'VALIDATION_FAILED'],
        [{ url: 'https://hooks.example.com/', enabled: 'yes' }, 400, 'VALIDATION_FAILED'],
        [{}, 400, 'VALIDATION_FAILED'],
        [[], 400, 'VALIDATION_FAILED'],
      ];
      for (const [body, status, code] of cases) {
        const res = await inject(h, 'POST', URL_, body);
        assert.equal(res.statusCode, status, `${JSON.stringify(body).slice(0, 80)}: ${res.body}`);
        assert.equal(res.json().errorCode, code, JSON.stringify(body).slice(0, 80));
      }
      const filter = await inject(h, 'GET', `${URL_}/x/deliveries?status=done`);
      assert.equal(filter.statusCode, 400);
      assert.equal(filter.json().errorCode, 'INVALID_WEBHOOK_FILTER');
      assert.deepEqual(await dumpDatabase(h.store), before, 'nothing was written');
    } finally {
      await h.close();
    }
  });

  test(`/webhooks on ${d.name}: admin only (401 without credentials, 403 for a subscriber)`, async () => {
    const h = await createHarness(await d.open(), [webhookRoutes]);
    try {
      await h.ctx.users.create('sam', 'sam-Pa55word-1', ['subscriber']);
      const sam = { authorization: basic('sam', 'sam-Pa55word-1') };
      const body = { url: 'https://hooks.example.com/' };
      for (const [method, url] of [
        ['GET', URL_],
        ['POST', URL_],
        ['GET', `${URL_}/x`],
        ['PUT', `${URL_}/x`],
        ['DELETE', `${URL_}/x`],
        ['POST', `${URL_}/x/test`],
        ['GET', `${URL_}/x/deliveries`],
      ] as const) {
        const payload = method === 'POST' || method === 'PUT' ? body : undefined;
        assert.equal(
          (await inject(h, method, url, payload, {} as typeof auth)).statusCode,
          401,
          `${method} ${url}`,
        );
        assert.equal((await inject(h, method, url, payload, sam)).statusCode, 403, `${method} ${url}`);
      }
    } finally {
      await h.close();
    }
  });

  test(`/webhooks on ${d.name}: with allow_http_loopback, http to loopback is accepted and nothing else`, async () => {
    const h = await createHarness(await d.open(), [webhookRoutes], {
      toml: '[webhooks]\nallow_http_loopback = true\n',
    });
    try {
      for (const url of [
        'http://127.0.0.1:9/h',
        'http://localhost:9/h',
        'http://[::1]:9/h',
        'https://127.0.0.1/h',
      ])
        assert.equal((await inject(h, 'POST', URL_, { url })).statusCode, 201, url);
      for (const url of ['http://10.0.0.1/h', 'http://hooks.example.com/h', 'https://192.168.1.1/h'])
        assert.equal((await inject(h, 'POST', URL_, { url })).statusCode, 400, url);
    } finally {
      await h.close();
    }
  });
}
