import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Scopes as WSO2 has them (issue 13): Publisher shared scopes (`/scopes`, unique by name), and the Admin system-scope
 * role table and role aliases (`/system-scopes`, `/system-scopes/role-aliases`). The system tables hold what an
 * admin set; a scope or role without a row keeps Portico's default (src/control-plane/scopes/system-scope-defaults.ts).
 * Role lists are JSON arrays of strings.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('shared_scopes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('bindings', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('system_scope_roles')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('role_aliases')
    .addColumn('role', 'text', (c) => c.primaryKey())
    .addColumn('aliases', 'text', (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
}
