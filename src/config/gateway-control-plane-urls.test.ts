import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, gatewayControlPlaneUrls, parseConfig } from './index.js';

const parse = (toml: string) => parseConfig(toml, 'deployment.toml', {});

test('control_plane_urls is the list of control planes; the single control_plane_url is a list of one', () => {
  assert.deepEqual(gatewayControlPlaneUrls(parse('')), ['https://localhost:9443']);
  assert.deepEqual(
    gatewayControlPlaneUrls(parse('[apim.gateway]\ncontrol_plane_url = "https://cp.internal:9443"\n')),
    ['https://cp.internal:9443'],
  );
  assert.deepEqual(
    gatewayControlPlaneUrls(
      parse(
        '[apim.gateway]\ncontrol_plane_url = "https://old:9443"\ncontrol_plane_urls = ["https://cp1:9443", "https://cp2:9443"]\n',
      ),
    ),
    ['https://cp1:9443', 'https://cp2:9443'],
    'the list wins',
  );
});

test('an empty or non-HTTP URL in control_plane_urls is refused, naming the key', () => {
  for (const bad of ['""', '"cp2:9443"', '"ftp://cp2"'])
    assert.throws(
      () => parse(`[apim.gateway]\ncontrol_plane_urls = ["https://cp1:9443", ${bad}]\n`),
      (err: unknown) => err instanceof ConfigError && /control_plane_urls/.test(err.message),
      bad,
    );
});
