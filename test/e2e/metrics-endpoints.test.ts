import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { http } from '../support/http.js';
import { startStack, type Stack } from '../support/stack.js';

// /metrics on the real wiring (startAllInOne): the control plane's and the embedded gateway's listeners.
describe('/metrics on the control plane and the gateway, access = "token"', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ toml: '[metrics]\naccess = "token"\ntoken = "scrape-t0ken"\n' });
  });
  after(() => stack.stop());
  const scrape = (base: string, token?: string) =>
    http(`${base}/metrics`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });

  it('control plane: 401 without or with a wrong token; with it, requests by route template and the outbox', async () => {
    assert.equal((await scrape(stack.cp)).status, 401);
    assert.equal((await scrape(stack.cp, 'scrape-t0ke')).status, 401);
    const listed = await stack.rest('GET', '/api/am/publisher/v4/apis');
    assert.equal(listed.status, 200);
    const r = await scrape(stack.cp, 'scrape-t0ken');
    assert.equal(r.status, 200);
    const families = parsePrometheusTextFormat(r.text);
    const requests = families.find((f) => f.name === 'portico_control_plane_http_requests_total');
    const apis = requests?.metrics.find(
      (m) =>
        m.labels?.route === '/api/am/publisher/v4/apis' &&
        m.labels.method === 'GET' &&
        m.labels.status === '200',
    );
    assert.equal(apis?.value, '1');
    const depth = families.find((f) => f.name === 'portico_control_plane_outbox_depth');
    assert.ok(depth !== undefined && Number(depth.metrics[0]?.value) >= 0);
    // The scrapes themselves are not counted.
    assert.equal(
      requests?.metrics.some((m) => m.labels?.route?.includes('metrics')),
      false,
    );
  });

  it('gateway: 401 without the token; with it, the snapshot version served', async () => {
    assert.equal((await scrape(stack.gw)).status, 401);
    const r = await scrape(stack.gw, 'scrape-t0ken');
    assert.equal(r.status, 200);
    const version = parsePrometheusTextFormat(r.text).find(
      (f) => f.name === 'portico_gateway_snapshot_version',
    );
    assert.ok(Number(version?.metrics[0]?.value) > 0, 'the sample is deployed: version > 0');
  });
});

describe('/metrics with access = "off"', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ toml: '[metrics]\naccess = "off"\n' });
  });
  after(() => stack.stop());

  it('404 on both', async () => {
    assert.equal((await http(`${stack.cp}/metrics`)).status, 404);
    assert.equal((await http(`${stack.gw}/metrics`)).status, 404);
  });
});
