import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/** The initial schema: every aggregate of Portico. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', bigint)
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();

  let apps = db.schema.createTable('applications');
  apps =
    dialect === 'postgres'
      ? apps.addColumn('id', 'serial', (c) => c.primaryKey())
      : apps.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  await apps
    .addColumn('uuid', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('throttling_policy', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('token_type', 'text', (c) => c.notNull().defaultTo('JWT'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('APPROVED'))
    .addColumn('group_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('applications_owner_name', ['owner', 'name'])
    .execute();

  await db.schema
    .createTable('oauth_clients')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('grant_types', 'text', (c) => c.notNull())
    .addColumn('callback_url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('application_id', 'integer')
    .addColumn('key_type', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('key_mappings')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('application_id', 'integer', (c) =>
      c.notNull().references('applications.id').onDelete('cascade'),
    )
    .addColumn('key_type', 'text', (c) => c.notNull())
    .addColumn('key_manager', 'text', (c) => c.notNull())
    .addColumn('consumer_key', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('key_state', 'text', (c) => c.notNull())
    .addColumn('grant_types', 'text', (c) => c.notNull())
    .addColumn('callback_url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('additional_properties', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('key_mappings_app_type_km', ['application_id', 'key_type', 'key_manager'])
    .addUniqueConstraint('key_mappings_km_consumer_key', ['key_manager', 'consumer_key'])
    .execute();

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('expires_at', bigint)
    .addColumn('used_at', bigint)
    .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute();

  await db.schema
    .createTable('revoked_tokens')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('token_type', 'text', (c) => c.notNull())
    .addColumn('expires_at', bigint)
    .addColumn('revoked_at', bigint, (c) => c.notNull())
    .addColumn('consumer_key', 'text')
    .execute();

  await db.schema
    .createTable('apis')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('context', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('lifecycle', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('apis_context_version', ['context', 'version'])
    .execute();

  await db.schema
    .createTable('api_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('api_id', 'text', (c) => c.notNull().references('apis.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('api_revisions_api_rev', ['api_id', 'revision'])
    .execute();

  await db.schema
    .createTable('api_deployments')
    .addColumn('api_id', 'text', (c) => c.notNull().references('apis.id').onDelete('cascade'))
    .addColumn('revision_id', 'text', (c) => c.notNull().references('api_revisions.id').onDelete('cascade'))
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('vhost', 'text', (c) => c.notNull().defaultTo('localhost'))
    .addColumn('deployed_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('api_deployments_pk', ['api_id', 'environment'])
    .execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('application_id', 'integer', (c) =>
      c.notNull().references('applications.id').onDelete('cascade'),
    )
    .addColumn('api_id', 'text', (c) => c.notNull().references('apis.id').onDelete('cascade'))
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('requested_policy', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('subscriptions_app_api', ['application_id', 'api_id'])
    .execute();

  await db.schema
    .createTable('throttling_policies')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('throttling_policies_level_name', ['level', 'name'])
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('application_id', 'integer', (c) =>
      c.notNull().references('applications.id').onDelete('cascade'),
    )
    .addColumn('key_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('issued_at', bigint, (c) => c.notNull())
    .addColumn('expires_at', bigint)
    .addColumn('permitted_ip', 'text')
    .addColumn('permitted_referer', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('revoked_at', bigint)
    .addColumn('last_used_at', bigint)
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('api_keys_app').on('api_keys').column('application_id').execute();

  await db.schema
    .createTable('key_managers')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
