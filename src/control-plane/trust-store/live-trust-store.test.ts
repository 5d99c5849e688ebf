import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { selfSignedKey } from '../../../test/support/self-signed.js';
import { createLiveTrustStore } from './index.js';

/** A pino logger whose lines are collected as parsed objects. */
function capturingLogger() {
  const lines: { level: number; msg: string; alias?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l !== '') lines.push(JSON.parse(l));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

for (const d of await testDialects()) {
  test(`live trust store on ${d.name}: an untrusted signing alias is an error log line at start and after changes; another control plane's change reaches this one`, async () => {
    const h = await createHarness(await d.open(), []);
    const signer = selfSignedKey('partner_signer');
    const { logger, lines } = capturingLogger();
    // A second control plane's trust store on the same store and change feed, signing with another key.
    const other = await createLiveTrustStore({
      store: h.store,
      changes: h.changes,
      feed: h.feed,
      logger,
      apiKeySigner: signer,
    });
    try {
      const errors = () => lines.filter((l) => l.level === 50);
      assert.equal(errors().length, 1, 'one error line at start');
      assert.equal(errors()[0]!.alias, 'partner_signer');
      assert.match(errors()[0]!.msg, /API-key signing alias "partner_signer" is not in the trust store/);
      assert.equal(other.warnings().length, 1);

      // A change through the first control plane: the second learns it from the change feed.
      await h.ctx.trust.add('unrelated', selfSignedKey('unrelated').certificatePem);
      await h.feed.pump();
      assert.ok(other.get('unrelated'), 'the change reached the other control plane');
      assert.equal(errors().length, 2, 'still untrusted after the change: said again');

      await h.ctx.trust.add('partner_signer', signer.certificatePem);
      await h.feed.pump();
      assert.deepEqual(other.warnings(), []);
      assert.equal(errors().length, 2);
      assert.ok(lines.some((l) => l.level === 30 && /trusted again/.test(l.msg)));
      assert.deepEqual(h.ctx.trust.warnings(), [], 'the first control plane signs with a trusted alias');
      assert.ok(!JSON.stringify(lines).includes('BEGIN'), 'no certificate or key in the log');
    } finally {
      other.close();
      await h.close();
    }
  });
}
