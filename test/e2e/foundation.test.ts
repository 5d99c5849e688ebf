import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { basic } from '../support/control-plane-harness.js';
import { http } from '../support/http.js';
import { runPortico, startPortico, tempHome } from '../support/portico-process.js';
import { loadTrustStore } from '../../src/crypto/index.js';

/** The first non-internal IPv4 address of this machine (e.g. eth0), if any. */
function externalIpv4(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

test('first start creates the home, answers /health on every listener, second start reuses it unchanged', async () => {
  const home = tempHome();
  const first = await startPortico(home);
  let adminPassword: string;
  try {
    for (const url of [
      'https://localhost:9443/health',
      'http://localhost:9763/health',
      'https://localhost:8243/health',
      'http://localhost:8280/health',
    ]) {
      const r = await http(url);
      assert.equal(r.status, 200, url);
      assert.equal(r.json().status, 'UP');
      assert.match(r.json().version, /^\d+\.\d+\.\d+/);
    }
    assert.match(first.stdout(), /Portico ready: .*https:\/\/localhost:9443.*admin user "admin"/);
    const pwFile = join(home, 'initial-admin-password');
    assert.equal(statSync(pwFile).mode & 0o777, 0o600);
    adminPassword = readFileSync(pwFile, 'utf8').trim();
    assert.ok(first.stdout().includes(adminPassword), 'generated password printed once');
    assert.doesNotMatch(first.stderr(), new RegExp(adminPassword), 'never in the logs');

    // The keystores got generated passwords in owner-only files, not an empty one.
    for (const [store, pw] of [
      ['portico.p12', 'primary-keystore-password'],
      ['client-truststore.p12', 'truststore-password'],
    ] as const) {
      const pwPath = join(home, 'resources/security', pw);
      assert.equal(statSync(pwPath).mode & 0o777, 0o600, pw);
      const storePath = join(home, 'resources/security', store);
      const password = readFileSync(pwPath, 'utf8').trim();
      await assert.rejects(loadTrustStore({ file: storePath, type: 'PKCS12', password: '' }), {
        code: 'KEYSTORE_BAD_PASSWORD',
      });
      await loadTrustStore({ file: storePath, type: 'PKCS12', password });
    }

    // The generated admin password works for Basic auth on a REST endpoint; a wrong one gets 401.
    const ok = await http('https://localhost:9443/api/am/admin/v4/users', {
      headers: { authorization: basic('admin', adminPassword) },
    });
    assert.equal(ok.status, 200);
    assert.ok(ok.json().list.some((u: { username: string }) => u.username === 'admin'));
    const wrong = await http('https://localhost:9443/api/am/admin/v4/users', {
      headers: { authorization: basic('admin', 'not-the-password') },
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json().errorCode, 'UNAUTHENTICATED');

    // Plain HTTP (9763) takes passwords from loopback only; from this machine's non-loopback address it refuses.
    const auth = { authorization: basic('admin', adminPassword) };
    assert.equal((await http('http://localhost:9763/api/am/admin/v4/users', { headers: auth })).status, 200);
    const external = externalIpv4();
    if (external) {
      const plain = await http(`http://${external}:9763/api/am/admin/v4/users`, { headers: auth });
      assert.equal(plain.status, 403);
      assert.equal(plain.json().errorCode, 'INSECURE_TRANSPORT');
      const tls = await http(`https://${external}:9443/api/am/admin/v4/users`, { headers: auth });
      assert.equal(tls.status, 200);
    }
  } finally {
    assert.equal(await first.stop(), 0, 'SIGTERM exits 0');
  }
  const files = [
    'conf/deployment.toml',
    'resources/security/portico.p12',
    'resources/security/client-truststore.p12',
    'resources/security/primary-keystore-password',
    'resources/security/truststore-password',
    'initial-admin-password',
  ];
  const before = files.map((f) => sha(join(home, f)));
  const second = await startPortico(home);
  try {
    assert.doesNotMatch(second.stdout(), /Generated password/);
    const ok = await http('https://localhost:9443/api/am/admin/v4/users', {
      headers: { authorization: basic('admin', adminPassword) },
    });
    assert.equal(ok.status, 200, 'users survive a restart');
  } finally {
    await second.stop();
  }
  assert.deepEqual(
    files.map((f) => sha(join(home, f))),
    before,
    'second start changed nothing in the home',
  );
});

test('[server] offset = 100 moves every listener by 100', async () => {
  const home = tempHome('[server]\noffset = 100\n');
  const p = await startPortico(home);
  try {
    for (const url of [
      'https://localhost:9543/health',
      'http://localhost:9863/health',
      'https://localhost:8343/health',
      'http://localhost:8380/health',
    ]) {
      assert.equal((await http(url)).status, 200, url);
    }
    await assert.rejects(http('http://localhost:8280/health'), 'nothing on the default port');
  } finally {
    await p.stop();
  }
});

test('config errors name the key and its line and stop the start', async () => {
  const cases: [string, RegExp][] = [
    [
      '[server]\noffset = 1\nunknown_key = true\n',
      /deployment\.toml:3: \[server\.unknown_key\] unknown key "unknown_key"; allowed keys here: hostname/,
    ],
    [
      '[server]\n\noffset = "ten"\n',
      /deployment\.toml:3: \[server\.offset\] invalid value "ten"; expected an integer/,
    ],
    [
      '[database.apim_db]\ntype = "oracle"\n',
      /deployment\.toml:2: \[database\.apim_db\.type\] invalid value "oracle"; allowed values: "sqlite", "postgres"/,
    ],
    [
      '[keystore.primary]\ntype = "JKS"\nfile_name = "missing.jks"\npassword = "x"\n',
      /portico: .*missing\.jks/,
    ],
  ];
  for (const [toml, expected] of cases) {
    const run = runPortico(['start', '--home', tempHome(toml)]);
    const code = await run.exited;
    assert.notEqual(code, 0, toml);
    assert.match(run.stderr(), expected);
    assert.doesNotMatch(run.stderr(), /\n\s+at /, 'no stack trace');
  }
});

test('keystore CLI: import-cert then list shows the alias; export-cert prints PEM; a wrong password is one clear line', async () => {
  const home = tempHome();
  const exp = runPortico(['keystore', 'export-cert', '--alias', 'portico', '--home', home]);
  assert.equal(await exp.exited, 0, exp.stderr());
  assert.match(exp.stdout(), /^-----BEGIN CERTIFICATE-----/);
  const certFile = join(home, 'other.crt');
  writeFileSync(certFile, exp.stdout());
  const imp = runPortico([
    'keystore',
    'import-cert',
    '--alias',
    'partner_signer',
    '--file',
    certFile,
    '--home',
    home,
  ]);
  assert.equal(await imp.exited, 0, imp.stderr());
  const list = runPortico(['keystore', 'list', '--home', home]);
  assert.equal(await list.exited, 0, list.stderr());
  assert.match(list.stdout(), /truststore\tpartner_signer\ttrustedCertEntry/);
  assert.match(list.stdout(), /truststore\tgateway_certificate_alias\ttrustedCertEntry/);
  assert.match(list.stdout(), /keystore\tportico\tPrivateKeyEntry\tlocalhost/);
  // Signing usage on a home without keys: the signing alias carries nothing live, the partner's is removable.
  const usage = runPortico(['keystore', 'signing-usage', '--json', '--home', home]);
  assert.equal(await usage.exited, 0, usage.stderr());
  assert.deepEqual(
    (JSON.parse(usage.stdout()) as { alias: string; signsNewKeys: boolean; safeToRemove: boolean }[]).map(
      (r) => [r.alias, r.signsNewKeys, r.safeToRemove],
    ),
    [
      ['gateway_certificate_alias', true, false],
      ['partner_signer', false, true],
    ],
  );
  const dup = runPortico([
    'keystore',
    'import-cert',
    '--alias',
    'partner_signer',
    '--file',
    certFile,
    '--home',
    home,
  ]);
  assert.equal(await dup.exited, 1);
  assert.match(dup.stderr(), /alias already exists/);

  // A password set in deployment.toml wins over the generated file: a wrong one stops the command.
  const toml = readFileSync(join(home, 'conf/deployment.toml'), 'utf8').replace(
    /(\[keystore\.primary\][\s\S]*?)# password = ""/,
    '$1password = "wrong-password"',
  );
  assert.match(toml, /^password = "wrong-password"$/m);
  writeFileSync(join(home, 'conf/deployment.toml'), toml);
  const bad = runPortico(['keystore', 'list', '--home', home]);
  assert.equal(await bad.exited, 1);
  assert.match(bad.stderr(), /portico\.p12/);
  assert.match(bad.stderr(), /password/i);
  assert.doesNotMatch(bad.stderr(), /wrong-password/, 'the password is never echoed');
  assert.doesNotMatch(bad.stderr(), /\n\s+at /);
});

test('user CLI: add and passwd work against the store and survive a restart', async () => {
  const home = tempHome('[server]\noffset = 300\n');
  const add = runPortico(
    ['user', 'add', 'dev', '--roles', 'subscriber', '--password-stdin', '--home', home],
    { input: 'dev-password-1\n' },
  );
  assert.equal(await add.exited, 0, add.stderr());
  const badRole = runPortico(['user', 'add', 'x', '--roles', 'wizard', '--home', home]);
  assert.equal(await badRole.exited, 1);
  assert.match(badRole.stderr(), /unknown role/);
  const pw = runPortico(['user', 'passwd', 'dev', '--password-stdin', '--home', home], {
    input: 'dev-password-2\n',
  });
  assert.equal(await pw.exited, 0, pw.stderr());
  const p = await startPortico(home);
  try {
    const me = await http('https://localhost:9743/api/am/devportal/v3/me', {
      headers: { authorization: basic('dev', 'dev-password-2') },
    });
    assert.equal(me.status, 200);
    assert.equal(me.json().username, 'dev');
    const old = await http('https://localhost:9743/api/am/devportal/v3/me', {
      headers: { authorization: basic('dev', 'dev-password-1') },
    });
    assert.equal(old.status, 401);
  } finally {
    await p.stop();
  }
});
