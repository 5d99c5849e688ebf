import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError, parseConfig, parseDuration, renderConfigDocs, renderConfigTemplate } from './index.js';

test('an empty file gives every default, frozen', () => {
  const c = parseConfig('', 'deployment.toml', {});
  assert.equal(c.server.offset, 0);
  assert.equal(c.apim.devportal.api_key_alias, 'gateway_certificate_alias');
  assert.equal(c.apim.key_manager.enable_lightweight_apikey_generation, true);
  assert.equal(c.oauth.token_validation.refresh_token_validity, 86400);
  assert.equal(c.apim.cache.gateway_token.expiry_time, '900s');
  assert.ok(Object.isFrozen(c.server));
  assert.throws(() => {
    (c.server as { offset: number }).offset = 5;
  });
});

test('WSO2 keys parse, including custom keystores and $env{} secrets', () => {
  const c = parseConfig(
    [
      '[custom_keystore.APIKeyKeyStore]',
      'file_name = "apikeysigner.jks"',
      'type = "JKS"',
      'password = "$env{KS_PW}"',
      'alias = "apikeysigner"',
      'key_password = "${KS_PW}"',
      '[apim.devportal]',
      'api_key_keystore = "APIKeyKeyStore"',
      'api_key_alias = "apikeysigner"',
      '[oauth.grant_type.password]',
      'enable = false',
    ].join('\n'),
    'deployment.toml',
    { KS_PW: 's3cret' },
  );
  assert.equal(c.custom_keystore.APIKeyKeyStore?.password, 's3cret');
  assert.equal(c.custom_keystore.APIKeyKeyStore?.key_password, 's3cret');
  assert.equal(c.oauth.grant_type.password.enable, false);
});

test('errors name the key, the line and what is allowed; secrets are never echoed', () => {
  const cases: [string, RegExp][] = [
    ['[server]\n\n\nofset = 1\n', /:4: \[server\.ofset\] unknown key/],
    [
      '[oauth.token_validation]\napp_access_token_validity = "1h"\n',
      /:2: \[oauth\.token_validation\.app_access_token_validity\] invalid value "1h"; expected an integer/,
    ],
    ['[apim.jwt]\nencoding = "hex"\n', /allowed values: "base64", "base64url"/],
    ['[super_admin]\npassword = 12345\n', /\[super_admin\.password\] invalid value \(hidden\)/],
    [
      '[keystore.primary]\npassword = "$env{MISSING_PW}"\n',
      /:2: \[keystore\.primary\.password\] environment variable MISSING_PW is not set/,
    ],
    ['[server\n', /not valid TOML/],
    [
      '[server]\ntrusted_proxies = ["10.0.0.0/8", "proxy.internal"]\n',
      /:2: \[server\.trusted_proxies\] invalid value "proxy\.internal"; expected an IP address or a CIDR/,
    ],
  ];
  for (const [toml, re] of cases) {
    assert.throws(
      () => parseConfig(toml, 'deployment.toml', {}),
      (e: unknown) => e instanceof ConfigError && re.test(e.message),
      toml,
    );
  }
});

test('[server] trusted_proxies takes addresses, CIDRs and proxy-addr names', () => {
  const c = parseConfig(
    '[server]\ntrusted_proxies = ["10.0.0.0/8", "192.0.2.1", "fd00::/8", "loopback"]\nallow_insecure_auth = true\n',
    'deployment.toml',
    {},
  );
  assert.deepEqual(c.server.trusted_proxies, ['10.0.0.0/8', '192.0.2.1', 'fd00::/8', 'loopback']);
  assert.equal(c.server.allow_insecure_auth, true);
  const d = parseConfig('', 'deployment.toml', {});
  assert.deepEqual(d.server.trusted_proxies, []);
  assert.equal(d.server.allow_insecure_auth, false);
});

test('durations', () => {
  assert.equal(parseDuration('900s'), 900_000);
  assert.equal(parseDuration('15m'), 900_000);
  assert.equal(parseDuration(900), 900_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.throws(() => parseDuration('soon'));
});

test('the first-start template is valid config and documents every key', () => {
  const text = renderConfigTemplate({
    'keystore.primary': { password: 'pw1' },
    truststore: { password: 'pw2' },
  });
  const c = parseConfig(text, 'deployment.toml', {});
  assert.equal(c.keystore.primary.password, 'pw1');
  assert.equal(c.truststore.password, 'pw2');
  assert.match(text, /# app_access_token_validity = 3600/);
});

test('docs/configuration.md is generated from the schema (npm run docs:config)', () => {
  const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  assert.equal(doc, renderConfigDocs(), 'regenerate it with npm run docs:config');
});

test('[metrics]: loopback by default; token mode needs a token, read from the environment', () => {
  const d = parseConfig('', 'deployment.toml', {});
  assert.deepEqual({ ...d.metrics }, { access: 'loopback', token: '' });
  const t = parseConfig('[metrics]\naccess = "token"\ntoken = "$env{METRICS_TOKEN}"', 'deployment.toml', {
    METRICS_TOKEN: 'tok',
  });
  assert.equal(t.metrics.token, 'tok');
  assert.throws(
    () => parseConfig('[metrics]\naccess = "token"', 'deployment.toml', {}),
    (err: unknown) =>
      err instanceof ConfigError && /^deployment\.toml:2: \[metrics\.token\] required/.test(err.message),
  );
  assert.throws(() => parseConfig('[metrics]\naccess = "public"', 'deployment.toml', {}), ConfigError);
});
