import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import pino from 'pino';
import { testDialects } from '../../../test/support/dialects.js';
import { fullHarness } from '../../../test/support/full-control-plane.js';
import { rawDb } from '../../../test/support/raw-db.js';
import type { Store } from '../../store/index.js';
import { credentialScenario } from './test-support/audit-scenario.js';

/** Every stored hash of a secret (passwords, client secrets, opaque API keys, refresh tokens). */
async function storedHashes(store: Store): Promise<string[]> {
  const db = rawDb(store);
  const out: string[] = [];
  for (const r of await db.selectFrom('users').select('password_hash').execute()) out.push(r.password_hash);
  for (const r of await db.selectFrom('oauth_clients').select('secret_hash').execute())
    out.push(r.secret_hash);
  for (const r of await db.selectFrom('oauth_client_secrets').select('secret_hash').execute())
    out.push(r.secret_hash);
  for (const r of await db.selectFrom('api_keys').select('key_hash').execute())
    if (r.key_hash) out.push(r.key_hash);
  for (const r of await db.selectFrom('refresh_tokens').select('token_hash').execute())
    out.push(r.token_hash);
  return out.filter((h) => h.length >= 16);
}

/** The value, and the forms a careless hash of it would take. */
function forms(secret: string): string[] {
  const sha = createHash('sha256').update(secret).digest();
  return [secret, sha.toString('hex'), sha.toString('base64url'), sha.toString('base64')];
}

for (const format of ['jwt', 'opaque'] as const) {
  test(`no key, token, secret, password or hash of one reaches the audit table or a log line (${format} API keys)`, async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
    const toml = `[apim.devportal]\napi_key_format = "${format}"\n`;
    const [sqlite] = await testDialects();
    const h = await fullHarness(await sqlite!.open(), { toml, logger });
    try {
      const { secrets } = await credentialScenario(h);
      assert.ok(secrets.length >= 12, `the scenario saw its secrets: ${secrets.length}`);
      const needles = [...secrets.flatMap(forms), ...(await storedHashes(h.store))];
      const rows = await rawDb(h.store).selectFrom('audit_events').selectAll().execute();
      assert.ok(rows.length >= 30, `events recorded: ${rows.length}`);
      const table = JSON.stringify(rows);
      const auditLines = lines.filter((l) => (JSON.parse(l) as { audit?: boolean }).audit === true);
      assert.equal(auditLines.length, rows.length, 'one JSON line per committed event');
      for (const l of auditLines) {
        const line = JSON.parse(l) as Record<string, unknown>;
        assert.equal(line.component, 'audit');
        assert.ok(
          rows.some((r) => r.id === line.id && r.action === line.action),
          'the line is the row',
        );
      }
      for (const needle of needles) {
        assert.ok(!table.includes(needle), `a secret is in the audit table: ${needle.slice(0, 12)}…`);
        for (const l of auditLines)
          assert.ok(!l.includes(needle), `a secret is in an audit log line: ${needle.slice(0, 12)}…`);
      }
      // The secrets were real: each of them is in the responses' log-free world, and the test would see one.
      assert.ok(!needles.some((n) => n === ''), 'no empty needle');
    } finally {
      await h.close();
    }
  });
}
