import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

interface LegacyClient {
  client_id: string;
  secret_hash: string;
  created_at: number;
}

/**
 * Several client secrets per OAuth client (WSO2 4.7 "multiple consumer secrets"), each with its own expiry and,
 * after a rotation with grace, the end of its grace. Only a hash and the last 4 characters are stored. Every
 * existing client's secret becomes its first row, so no client loses its secret.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('oauth_client_secrets')
    .addColumn('secret_id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) =>
      c.notNull().references('oauth_clients.client_id').onDelete('cascade'),
    )
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('secret_hint', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('expires_at', bigint)
    .addColumn('grace_expires_at', bigint)
    .execute();
  await db.schema
    .createIndex('oauth_client_secrets_client')
    .on('oauth_client_secrets')
    .column('client_id')
    .execute();

  const k = db as unknown as Kysely<{
    oauth_clients: LegacyClient;
    oauth_client_secrets: Record<string, unknown>;
  }>;
  const clients = await k
    .selectFrom('oauth_clients')
    .select(['client_id', 'secret_hash', 'created_at'])
    .execute();
  for (const c of clients) {
    await k
      .insertInto('oauth_client_secrets')
      .values({
        secret_id: randomUUID(),
        client_id: c.client_id,
        secret_hash: c.secret_hash,
        secret_hint: '',
        description: '',
        created_at: Number(c.created_at),
        expires_at: null,
        grace_expires_at: null,
      })
      .execute();
  }
}
