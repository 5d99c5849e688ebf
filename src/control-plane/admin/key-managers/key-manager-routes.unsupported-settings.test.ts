import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness, type Harness } from '../../../../test/support/control-plane-harness.js';
import { rawDb } from '../../../../test/support/raw-db.js';
import { keyManagersRepository } from '../../../store/index.js';
import { adminAuth } from '../../publisher/test-support/publisher-fixtures.js';
import { ADMIN_KEY_MANAGERS as KM, keyManagerAdminRoutes } from './index.js';

// Nothing here fetches the provider: no refresher is given to the routes.
const IDP = 'https://idp.example.com';
const body = (over: Record<string, unknown> = {}) => ({
  name: 'Keycloak',
  type: 'Keycloak',
  issuer: `${IDP}/realms/portico`,
  tokenEndpoint: `${IDP}/token`,
  certificates: { type: 'JWKS', value: `${IDP}/jwks` },
  ...over,
});

/** Settings Portico does not act on, each with the words its 400 must contain. */
const refused: [string, Record<string, unknown>, RegExp[]][] = [
  ['tokenType EXCHANGED', { tokenType: 'EXCHANGED' }, [/tokenType EXCHANGED/]],
  ['tokenType BOTH', { tokenType: 'BOTH', alias: `${IDP}/token` }, [/tokenType BOTH/]],
  [
    'an enabled JWT tokenValidation entry',
    { tokenValidation: [{ enable: true, type: 'JWT', value: { body: { iss: IDP } } }] },
    [/tokenValidation\[0\] \(JWT\) is enabled/],
  ],
  [
    'a REFERENCE entry without enable (WSO2 default true)',
    {
      tokenValidation: [
        { enable: false, type: 'JWT' },
        { type: 'REFERENCE', value: '^[0-9a-f]{32}$' },
      ],
    },
    [/tokenValidation\[1\] \(REFERENCE\) is enabled/],
  ],
  [
    'both at once',
    { tokenType: 'EXCHANGED', tokenValidation: [{ enable: true, type: 'CUSTOM', value: {} }] },
    [/tokenType EXCHANGED/, /tokenValidation\[0\] \(CUSTOM\)/],
  ],
  // WSO2 fields Portico does not store, set; and a field WSO2's KeyManager does not have.
  ['enableTokenEncryption true', { enableTokenEncryption: true }, [/enableTokenEncryption is not supported/]],
  [
    'a scopeManagementEndpoint',
    { scopeManagementEndpoint: `${IDP}/scopes` },
    [/scopeManagementEndpoint is not/],
  ],
  [
    'an endpoints entry with a URL no stored field has',
    { endpoints: [{ name: 'device_authorization_endpoint', value: `${IDP}/device` }] },
    [/endpoints is not supported/],
  ],
  ['a misspelt field', { tokenEndpont: `${IDP}/token` }, [/tokenEndpont is not a field of the key manager/]],
];

function assertRefused(res: { statusCode: number; body: string }, words: RegExp[], what: string) {
  assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
  const err = JSON.parse(res.body) as {
    errorCode: string;
    code: number;
    description: string;
    error: unknown[];
  };
  assert.equal(err.errorCode, 'UNSUPPORTED_FIELD', what);
  assert.equal(err.code, 909007, what);
  for (const w of words) assert.match(err.description, w, what);
  assert.equal(err.error.length, words.length, `${what}: one entry per refused setting`);
}

async function storedRows(h: Harness) {
  return rawDb(h.store).selectFrom('key_managers').selectAll().orderBy('uuid').execute();
}

for (const d of await testDialects()) {
  test(`admin key managers on ${d.name}: tokenType EXCHANGED/BOTH and enabled tokenValidation are refused naming them, nothing written`, async () => {
    const h = await createHarness(await d.open(), [keyManagerAdminRoutes({})]);
    try {
      for (const [what, over, words] of refused) {
        const res = await h.app.inject({ method: 'POST', url: KM, headers: adminAuth, payload: body(over) });
        assertRefused(res, words, `create with ${what}`);
      }
      assert.deepEqual(await storedRows(h), [], 'no create wrote a row');

      const created = await h.app.inject({ method: 'POST', url: KM, headers: adminAuth, payload: body() });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json<{ id: string }>().id;
      const dto = (
        await h.app.inject({ method: 'GET', url: `${KM}/${id}`, headers: adminAuth })
      ).json<object>();
      const before = await storedRows(h);
      for (const [what, over, words] of refused) {
        const res = await h.app.inject({
          method: 'PUT',
          url: `${KM}/${id}`,
          headers: adminAuth,
          payload: { ...dto, ...over },
        });
        assertRefused(res, words, `update with ${what}`);
      }
      assert.deepEqual(await storedRows(h), before, 'no update changed the row');
    } finally {
      await h.close();
    }
  });

  test(`admin key managers on ${d.name}: DIRECT with an alias, global true or false and disabled tokenValidation are accepted as sent`, async () => {
    const h = await createHarness(await d.open(), [keyManagerAdminRoutes({})]);
    try {
      const sent = {
        tokenType: 'DIRECT',
        alias: `${IDP}/token`,
        global: true,
        tokenValidation: [
          { id: 1, enable: false, type: 'JWT', value: { body: { iss: IDP } } },
          { enable: false, type: 'REFERENCE', value: '^[0-9a-f]{32}$' },
        ],
      };
      const created = await h.app.inject({
        method: 'POST',
        url: KM,
        headers: adminAuth,
        payload: body(sent),
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json<{ id: string }>().id;
      const get = async () =>
        (await h.app.inject({ method: 'GET', url: `${KM}/${id}`, headers: adminAuth })).json<
          Record<string, unknown>
        >();
      const dto = await get();
      assert.deepEqual(
        {
          tokenType: dto.tokenType,
          alias: dto.alias,
          global: dto.global,
          tokenValidation: dto.tokenValidation,
        },
        sent,
      );
      for (const over of [
        { global: false },
        // WSO2's values for the fields Portico does not store: "not used", or restating a stored endpoint.
        {
          enableTokenEncryption: false,
          enableTokenHashing: false,
          displayTokenEndpoint: '',
          scopeManagementEndpoint: null,
          endpoints: [{ name: 'token_endpoint', value: `${IDP}/token` }],
        },
        { tokenType: null, alias: null, global: null, tokenValidation: null },
      ]) {
        const put = await h.app.inject({
          method: 'PUT',
          url: `${KM}/${id}`,
          headers: adminAuth,
          payload: { ...dto, ...over },
        });
        assert.equal(put.statusCode, 200, put.body);
      }
      const last = await get();
      assert.deepEqual(
        [last.tokenType, last.alias, last.global, last.tokenValidation],
        ['DIRECT', '', false, []],
        'null reads as WSO2 default',
      );
    } finally {
      await h.close();
    }
  });

  test(`admin key managers on ${d.name}: a row stored with EXCHANGED and an enabled tokenValidation entry still reads; an update keeping them is refused`, async () => {
    const h = await createHarness(await d.open(), [keyManagerAdminRoutes({})]);
    try {
      const created = await h.app.inject({ method: 'POST', url: KM, headers: adminAuth, payload: body() });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json<{ id: string }>().id;
      // As a version that stored these settings without acting on them left the row.
      const row = (await keyManagersRepository(h.store).findByUuid(id))!;
      const legacy = {
        ...(JSON.parse(row.definition) as object),
        tokenType: 'EXCHANGED',
        alias: `${IDP}/token`,
        tokenValidation: [{ enable: true, type: 'JWT', value: { body: { iss: IDP } } }],
      };
      await rawDb(h.store)
        .updateTable('key_managers')
        .set({ definition: JSON.stringify(legacy) })
        .where('uuid', '=', id)
        .execute();

      const get = await h.app.inject({ method: 'GET', url: `${KM}/${id}`, headers: adminAuth });
      assert.equal(get.statusCode, 200, get.body);
      const dto = get.json<Record<string, unknown>>();
      assert.equal(dto.tokenType, 'EXCHANGED');
      assert.deepEqual(dto.tokenValidation, legacy.tokenValidation);
      const list = await h.app.inject({ method: 'GET', url: KM, headers: adminAuth });
      assert.equal(list.statusCode, 200);
      assert.equal(list.json<{ count: number }>().count, 2, 'listed beside the resident key manager');

      const before = await storedRows(h);
      const kept = await h.app.inject({
        method: 'PUT',
        url: `${KM}/${id}`,
        headers: adminAuth,
        payload: dto,
      });
      assertRefused(
        kept,
        [/tokenType EXCHANGED/, /tokenValidation\[0\] \(JWT\) is enabled/],
        'PUT of the GET',
      );
      assert.deepEqual(await storedRows(h), before, 'nothing written');

      const fixed = await h.app.inject({
        method: 'PUT',
        url: `${KM}/${id}`,
        headers: adminAuth,
        payload: { ...dto, tokenType: 'DIRECT', tokenValidation: [] },
      });
      assert.equal(fixed.statusCode, 200, fixed.body);
      assert.equal(fixed.json<{ tokenType: string }>().tokenType, 'DIRECT');
    } finally {
      await h.close();
    }
  });
}
