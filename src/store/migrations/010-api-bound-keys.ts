import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * WSO2 4.7 API-bound API keys on `api_keys`: `api_id` (the one API such a key is for; null for application keys)
 * and `application_id` made nullable (an API-bound key has an application only while associated with one). Seeds
 * WSO2's `DefaultSubscriptionless` subscription tier, the business plan that marks an API as needing no
 * subscription (10000 requests per minute).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`ALTER TABLE api_keys ALTER COLUMN application_id DROP NOT NULL`.execute(db);
  } else {
    await relaxApplicationIdOnSqlite(db);
  }
  await db.schema.alterTable('api_keys').addColumn('api_id', 'text').execute();
  await db.schema.createIndex('api_keys_api').on('api_keys').column('api_id').execute();
  await seedSubscriptionlessTier(db);
}

/**
 * SQLite cannot drop a NOT NULL: the table is rebuilt from its own stored definition (so columns added by any
 * earlier migration are kept as they are), with only that constraint removed, then its indexes are recreated.
 */
async function relaxApplicationIdOnSqlite(db: Kysely<unknown>): Promise<void> {
  const table = await sql<{ sql: string }>`
    SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'api_keys'`.execute(db);
  const createSql = table.rows[0]?.sql;
  if (createSql === undefined) throw new Error('migration 010: table api_keys not found');
  const relaxed = createSql.replace(/("?application_id"?\s+integer)\s+not\s+null/i, '$1');
  if (relaxed === createSql) throw new Error('migration 010: api_keys.application_id is not NOT NULL');
  const indexes = await sql<{ sql: string }>`
    SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'api_keys' AND sql IS NOT NULL`.execute(
    db,
  );
  const rebuilt = relaxed.replace(/^CREATE TABLE\s+"?api_keys"?/i, 'CREATE TABLE "api_keys_010"');
  await sql.raw(rebuilt).execute(db);
  await sql`INSERT INTO api_keys_010 SELECT * FROM api_keys`.execute(db);
  await sql`DROP TABLE api_keys`.execute(db);
  await sql`ALTER TABLE api_keys_010 RENAME TO api_keys`.execute(db);
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
}

async function seedSubscriptionlessTier(db: Kysely<unknown>): Promise<void> {
  const k = db as unknown as Kysely<{ throttling_policies: Record<string, unknown> }>;
  const existing = await k
    .selectFrom('throttling_policies')
    .select('uuid')
    .where('level', '=', 'subscription')
    .where('name', '=', 'DefaultSubscriptionless')
    .executeTakeFirst();
  if (existing) return;
  const now = Date.now();
  const uuid = randomUUID();
  const definition = {
    policyId: uuid,
    policyName: 'DefaultSubscriptionless',
    displayName: 'DefaultSubscriptionless',
    description: 'Allows 10000 requests per minute',
    isDeployed: true,
    type: 'SubscriptionThrottlePolicy',
    defaultLimit: {
      type: 'REQUESTCOUNTLIMIT',
      requestCount: { timeUnit: 'min', unitTime: 1, requestCount: 10000 },
    },
    rateLimitCount: 0,
    rateLimitTimeUnit: null,
    stopOnQuotaReach: true,
    billingPlan: 'FREE',
    subscriberCount: 0,
  };
  await k
    .insertInto('throttling_policies')
    .values({
      uuid,
      level: 'subscription',
      name: 'DefaultSubscriptionless',
      definition: JSON.stringify(definition),
      created_at: now,
      updated_at: now,
    })
    .execute();
}
