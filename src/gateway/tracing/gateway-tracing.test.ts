import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../test-support/gateway-harness.js';
import { fixtureSnapshot } from '../test-support/fixture-snapshot.js';
import { keyManagerKeys } from '../test-support/mint-tokens.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}

/** A real OTLP/HTTP receiver: collects the spans of every JSON export it is sent. */
async function otlpReceiver() {
  const spans: OtlpSpan[] = [];
  let serviceNames: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const doc = JSON.parse(body) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: { stringValue: string } }[] };
          scopeSpans: { spans: OtlpSpan[] }[];
        }[];
      };
      for (const rs of doc.resourceSpans) {
        serviceNames = rs.resource.attributes
          .filter((a) => a.key === 'service.name')
          .map((a) => a.value.stringValue);
        for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
    spans,
    serviceNames: () => serviceNames,
    async waitFor(pred: (s: OtlpSpan) => boolean): Promise<OtlpSpan> {
      const deadline = Date.now() + 8000;
      for (;;) {
        const s = spans.find(pred);
        if (s) return s;
        if (Date.now() > deadline) throw new Error(`span not exported; got ${JSON.stringify(spans)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? (v?.intValue === undefined ? undefined : Number(v.intValue));
};
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

describe('tracing on: W3C trace context and OTLP export', () => {
  const km = keyManagerKeys();
  let h: Harness;
  let otlp: Awaited<ReturnType<typeof otlpReceiver>>;
  before(async () => {
    otlp = await otlpReceiver();
    h = await startHarness((u) => fixtureSnapshot(u, km.jwk), {
      tracing: { otlpEndpoint: otlp.url, serviceName: 'gw-under-test', sampleRatio: 1 },
    });
  });
  after(async () => {
    await h.close();
    await otlp.close();
  });

  it("a caller's valid traceparent: the upstream's parent is the gateway's span, exported as its child", async () => {
    const r = await h.request('/pizzashack/1.0.0/open', {
      headers: { traceparent: `00-${TRACE}-${PARENT}-01`, tracestate: 'vendor=1' },
    });
    assert.equal(r.status, 200, r.body);
    const seen = h.seen.at(-1)!.headers;
    const [, trace, spanId] = TRACEPARENT.exec(String(seen.traceparent)) ?? [];
    assert.equal(trace, TRACE, 'same trace');
    assert.notEqual(spanId, PARENT, 'the gateway is the parent now');
    assert.equal(seen.tracestate, 'vendor=1', 'tracestate passes through');
    const span = await otlp.waitFor((s) => s.spanId === spanId);
    assert.equal(span.traceId, TRACE);
    assert.equal(span.parentSpanId, PARENT);
    assert.equal(span.name, 'GET /pizzashack/1.0.0');
    assert.equal(attr(span, 'http.response.status_code'), 200);
    assert.equal(attr(span, 'portico.api'), 'pizza-name');
    assert.deepEqual(otlp.serviceNames(), ['gw-under-test']);
  });

  it('an invalid traceparent starts a new trace and is not passed on; none also starts one', async () => {
    for (const bad of [
      `00-${'0'.repeat(32)}-${PARENT}-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `00-${TRACE.toUpperCase()}-${PARENT}-01`,
      'garbage',
      `ff-${TRACE}-${PARENT}-01`,
      undefined,
    ]) {
      const r = await h.request('/pizzashack/1.0.0/open', {
        headers: bad === undefined ? {} : { traceparent: bad },
      });
      assert.equal(r.status, 200);
      const sent = String(h.seen.at(-1)!.headers.traceparent);
      const m = TRACEPARENT.exec(sent);
      assert.ok(m, `a valid traceparent upstream for ${bad}: ${sent}`);
      assert.notEqual(m[1], TRACE);
      assert.notEqual(m[1], '0'.repeat(32));
    }
  });

  it("a gateway fault is a span too, with its status and fault code; an unsampled caller's flag is kept", async () => {
    const r = await h.request('/pizzashack/1.0.0/menu', {
      headers: { traceparent: `00-${TRACE}-${PARENT}-01` },
    });
    assert.equal(r.status, 401);
    const span = await otlp.waitFor((s) => attr(s, 'portico.fault_code') === '900902');
    assert.equal(span.traceId, TRACE);
    assert.equal(attr(span, 'http.response.status_code'), 401);

    const unsampled = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    await h.request('/pizzashack/1.0.0/open', { headers: { traceparent: `00-${unsampled}-${PARENT}-00` } });
    assert.match(String(h.seen.at(-1)!.headers.traceparent), new RegExp(`^00-${unsampled}-[0-9a-f]{16}-00$`));
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(otlp.spans.filter((s) => s.traceId === unsampled).length, 0, 'not recorded');
  });
});

describe('tracing off (the default) and a collector that is down', () => {
  const km = keyManagerKeys();
  it("off: the caller's traceparent reaches the upstream untouched", async () => {
    const h = await startHarness((u) => fixtureSnapshot(u, km.jwk));
    try {
      await h.request('/pizzashack/1.0.0/open', { headers: { traceparent: 'garbage-kept' } });
      assert.equal(h.seen.at(-1)!.headers.traceparent, 'garbage-kept');
    } finally {
      await h.close();
    }
  });

  it('a collector that refuses connections never delays or fails a request', async () => {
    const h = await startHarness((u) => fixtureSnapshot(u, km.jwk), {
      tracing: { otlpEndpoint: 'http://127.0.0.1:9/v1/traces', serviceName: 'gw', sampleRatio: 1 },
    });
    try {
      for (let i = 0; i < 20; i++) assert.equal((await h.request('/pizzashack/1.0.0/open')).status, 200);
    } finally {
      await h.close();
    }
  });
});
