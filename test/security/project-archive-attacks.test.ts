import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { devportalRouteModules } from '../../src/control-plane/devportal/index.js';
import { publisherRoutes } from '../../src/control-plane/publisher/index.js';
import { multipartBody } from '../../src/control-plane/http/test-support/multipart-body.js';
import { ADMIN, basic, createHarness, type Harness } from '../support/control-plane-harness.js';
import { testDialects } from '../support/dialects.js';
import { dumpDatabase } from '../support/full-control-plane.js';

// Attacker's view of POST /apis/import and /applications/import (issue 13): every hostile archive is a 4xx with a
// stable code, checked before anything is written, and a bomb stops at the limit while inflating.
const LIMIT = 64 * 1024; // [apim.publisher] max_definition_size here: entries ≤ 64 KiB, all ≤ 256 KiB, ≤ 100 entries
const PUB = '/api/am/publisher/v4/apis/import';
const DEV = '/api/am/devportal/v3/applications/import';
const auth = { authorization: basic(ADMIN.username, ADMIN.password) };

const API_YAML = `type: api
version: v4.5.0
data:
  name: Attack
  context: /attack
  version: 1.0.0
  endpointConfig: { endpoint_type: http, production_endpoints: { url: 'http://127.0.0.1:9/x' } }
  operations: [{ target: /x, verb: GET }]
`;
const zip = (files: Record<string, string | Uint8Array>) =>
  zipSync(
    Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v])),
  );

/** A zip whose two entries carry the same name (fflate's object form cannot say so): rename b to a in place. */
function duplicateEntries(): Uint8Array {
  const z = zip({ 'P/api.yaml': API_YAML, 'P/api.yamX': API_YAML });
  const text = Buffer.from(z);
  let at = text.indexOf('P/api.yamX');
  while (at >= 0) {
    text[at + 9] = 'l'.charCodeAt(0);
    at = text.indexOf('P/api.yamX', at + 1);
  }
  return new Uint8Array(text);
}

const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat(
    Array.from(
      { length: 8 },
      (_, i) =>
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
    ),
  )
  .join('\n');

/** [case, route, upload, status, errorCode]. */
const CASES: [string, string, Uint8Array | string, number, string][] = [
  [
    'zip bomb: one entry of 50 MB zeros',
    PUB,
    zip({ 'P/api.yaml': new Uint8Array(50 * 1024 * 1024) }),
    413,
    'ARCHIVE_TOO_LARGE',
  ],
  [
    'zip bomb: five entries of 60 KiB (past 256 KiB in all)',
    PUB,
    zip(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`P/f${i}`, new Uint8Array(60 * 1024)]))),
    413,
    'ARCHIVE_TOO_LARGE',
  ],
  [
    '101 entries',
    DEV,
    zip(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`P/f${i}`, 'x']))),
    413,
    'ARCHIVE_TOO_LARGE',
  ],
  [
    'oversized definition',
    PUB,
    zip({ 'P/api.yaml': API_YAML, 'P/Definitions/swagger.yaml': `openapi: 3.0.1\n#${'x'.repeat(LIMIT)}` }),
    413,
    'ARCHIVE_TOO_LARGE',
  ],
  ['path traversal ../', PUB, zip({ '../api.yaml': API_YAML }), 400, 'ARCHIVE_UNSAFE_PATH'],
  [
    'path traversal in the middle',
    PUB,
    zip({ 'P/Definitions/../../../etc/passwd': 'x', 'P/api.yaml': API_YAML }),
    400,
    'ARCHIVE_UNSAFE_PATH',
  ],
  ['absolute path', DEV, zip({ '/etc/application.yaml': 'x' }), 400, 'ARCHIVE_UNSAFE_PATH'],
  ['backslashes', PUB, zip({ 'P\\..\\..\\api.yaml': API_YAML }), 400, 'ARCHIVE_UNSAFE_PATH'],
  ['drive letter', PUB, zip({ 'C:/api.yaml': API_YAML }), 400, 'ARCHIVE_UNSAFE_PATH'],
  ['empty segment', PUB, zip({ 'P//api.yaml': API_YAML }), 400, 'ARCHIVE_UNSAFE_PATH'],
  ['duplicate entries', PUB, duplicateEntries(), 400, 'ARCHIVE_DUPLICATE_ENTRY'],
  ['not a zip', PUB, 'type: api\nversion: v4.5.0\n', 400, 'ARCHIVE_INVALID'],
  [
    'truncated zip',
    DEV,
    zip({ 'P/application.yaml': randomBytes(5000) }).subarray(0, 2000),
    400,
    'ARCHIVE_INVALID',
  ],
  [
    'two project folders',
    PUB,
    zip({ 'P/api.yaml': API_YAML, 'Q/api.yaml': API_YAML }),
    400,
    'PROJECT_INVALID',
  ],
  ['no api.yaml', PUB, zip({ 'P/Definitions/swagger.yaml': 'openapi: 3.0.1' }), 400, 'PROJECT_INVALID'],
  [
    'an application project sent as an API',
    PUB,
    zip({ 'P/api.yaml': API_YAML.replace('type: api', 'type: application') }),
    400,
    'PROJECT_INVALID',
  ],
  [
    'a WSO2 3.x layout',
    PUB,
    zip({ 'P/api.yaml': API_YAML.replace('v4.5.0', 'v3.2.0') }),
    400,
    'PROJECT_INVALID',
  ],
  ['api.yaml not YAML', PUB, zip({ 'P/api.yaml': 'type: api\n  data: [\n\t: {' }), 400, 'INVALID_DEFINITION'],
  [
    'api.yaml not UTF-8',
    PUB,
    zip({ 'P/api.yaml': new Uint8Array([0x74, 0x3a, 0xff, 0xfe, 0x0a]) }),
    400,
    'PROJECT_INVALID',
  ],
  [
    'YAML alias bomb',
    PUB,
    zip({ 'P/api.yaml': `${laughs}\ntype: api\nversion: v4.5.0\ndata: *i\n` }),
    400,
    'INVALID_DEFINITION',
  ],
  [
    'YAML alias bomb in application.yaml',
    DEV,
    zip({ 'P/application.yaml': `${laughs}\ntype: application\nversion: v4.5.0\ndata: *i\n` }),
    400,
    'INVALID_DEFINITION',
  ],
  [
    'definition not OpenAPI',
    PUB,
    zip({ 'P/api.yaml': API_YAML, 'P/Definitions/swagger.yaml': 'hello: world' }),
    400,
    'INVALID_DEFINITION',
  ],
  [
    'a mediation sequence',
    PUB,
    zip({ 'P/api.yaml': API_YAML, 'P/Sequences/in-sequence/Custom/log.xml': '<sequence/>' }),
    400,
    'UNSUPPORTED_FIELD',
  ],
  [
    'endpoint credentials',
    PUB,
    zip({
      'P/api.yaml': API_YAML.replace(
        "url: 'http://127.0.0.1:9/x' }",
        "url: 'http://127.0.0.1:9/x' }, endpoint_security: { production: { enabled: true, type: BASIC, username: u, password: p } }",
      ),
    }),
    400,
    'UNSUPPORTED_FIELD',
  ],
  [
    'a forged secret hash',
    DEV,
    zip({
      'P/application.yaml': `type: application\nversion: v4.5.0\ndata:\n  applicationInfo: { name: Forged, throttlingPolicy: Unlimited }\n  keyManagerWiseOAuthApp:\n    PRODUCTION:\n      Resident Key Manager: { clientId: abc, parameters: { grant_types: client_credentials }, clientSecretHashes: [{ hash: 'md5:x' }] }\n`,
    }),
    400,
    'PROJECT_INVALID',
  ],
  [
    'keys of an unknown key manager',
    DEV,
    zip({
      'P/application.yaml': `type: application\nversion: v4.5.0\ndata:\n  applicationInfo: { name: Ext, throttlingPolicy: Unlimited }\n  keyManagerWiseOAuthApp:\n    PRODUCTION:\n      Okta: { clientId: abc, clientSecret: s, parameters: { grant_types: client_credentials } }\n`,
    }),
    400,
    'VALIDATION_FAILED',
  ],
];

for (const d of await testDialects()) {
  let h: Harness;
  before(async () => {
    h = await createHarness(await d.open(), [publisherRoutes(), ...devportalRouteModules], {
      toml: `[apim.publisher]\nmax_definition_size = ${LIMIT}\n`,
    });
  });
  after(() => h.close());

  test(`hostile project archives on ${d.name}: a 4xx with a stable code each, nothing written`, async () => {
    const before = await dumpDatabase(h.store);
    for (const [name, url, upload, status, code] of CASES) {
      const started = Date.now();
      const { payload, headers } = await multipartBody({ file: { file: upload, filename: 'p.zip' } });
      const res = await h.app.inject({ method: 'POST', url, headers: { ...auth, ...headers }, payload });
      assert.equal(res.statusCode, status, `${name}: ${res.body}`);
      assert.equal(res.json().errorCode, code, `${name}: ${res.body}`);
      assert.ok(Date.now() - started < 5000, `${name} is refused quickly`);
    }
    // The file as a text field, no file at all, an upload past the limit.
    const text = await multipartBody({ file: 'not a file part' });
    const asText = await h.app.inject({
      method: 'POST',
      url: PUB,
      headers: { ...auth, ...text.headers },
      payload: text.payload,
    });
    assert.equal(asText.json().errorCode, 'MULTIPART_INVALID');
    const big = await multipartBody({
      file: { file: new Uint8Array(LIMIT + 1024).fill(7), filename: 'p.zip' },
    });
    const tooBig = await h.app.inject({
      method: 'POST',
      url: DEV,
      headers: { ...auth, ...big.headers },
      payload: big.payload,
    });
    assert.equal(tooBig.statusCode, 413, tooBig.body);
    // A __proto__ key in a project document stays data.
    const proto = zip({
      'P/application.yaml':
        'type: application\nversion: v4.5.0\ndata:\n  __proto__: { polluted: yes }\n  applicationInfo: { name: Proto, throttlingPolicy: Nope }\n',
    });
    const form = await multipartBody({ file: { file: proto, filename: 'p.zip' } });
    const protoRes = await h.app.inject({
      method: 'POST',
      url: DEV,
      headers: { ...auth, ...form.headers },
      payload: form.payload,
    });
    assert.equal(protoRes.statusCode, 400, protoRes.body);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(await dumpDatabase(h.store), before, 'no refused import wrote anything');
  });
}

test('WSO2 import and export options Portico does not implement are refused when set, never ignored', async () => {
  const h = await createHarness(await (await testDialects())[0]!.open(), [
    publisherRoutes(),
    ...devportalRouteModules,
  ]);
  try {
    const project = zip({ 'P/api.yaml': API_YAML });
    for (const [url, option] of [
      [PUB, 'dryRun=true'],
      [PUB, 'preservePortalConfigurations=true'],
      [DEV, 'ignoreTier=true'],
    ] as const) {
      const { payload, headers } = await multipartBody({ file: { file: project, filename: 'p.zip' } });
      const res = await h.app.inject({
        method: 'POST',
        url: `${url}?${option}`,
        headers: { ...auth, ...headers },
        payload,
      });
      assert.equal(res.statusCode, 400, `${option}: ${res.body}`);
      assert.equal(res.json().errorCode, 'UNSUPPORTED_FIELD');
    }
    for (const option of ['revisionNumber=2', 'latestRevision=true', 'gatewayEnvironment=Production']) {
      const res = await h.app.inject({
        url: `/api/am/publisher/v4/apis/export?name=A&version=1&${option}`,
        headers: auth,
      });
      assert.equal(res.statusCode, 400, `${option}: ${res.body}`);
      assert.equal(res.json().errorCode, 'UNSUPPORTED_FIELD');
    }
    const { payload, headers } = await multipartBody({ file: { file: project, filename: 'p.zip' } });
    const off = await h.app.inject({
      method: 'POST',
      url: `${PUB}?dryRun=false`,
      headers: { ...auth, ...headers },
      payload,
    });
    assert.equal(off.statusCode, 200, off.body);
  } finally {
    await h.close();
  }
});
