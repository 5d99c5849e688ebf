import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import * as m001 from './001-initial.js';
import * as m002 from './002-default-policies.js';
import * as m003 from './003-change-log.js';
import * as m004 from './004-opaque-api-keys.js';
import * as m005 from './005-client-secrets.js';
import * as m006 from './006-opaque-access-tokens.js';
import * as m008 from './008-blocking-conditions.js';
import * as m009 from './009-api-key-leaks.js';
import * as m010 from './010-api-bound-keys.js';
import * as m011 from './011-audit-events.js';
import * as m012 from './012-webhooks.js';
import * as m013 from './013-usage-analytics.js';
import * as m014 from './014-scopes.js';
import * as m015 from './015-lifecycle-history.js';

export interface PorticoMigration {
  name: string;
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

/** Every migration, in order. Append only: never edit or reorder a shipped migration. */
export const migrations: readonly PorticoMigration[] = [
  { name: '001-initial', up: m001.up },
  { name: '002-default-policies', up: (db) => m002.up(db) },
  { name: '003-change-log', up: m003.up },
  { name: '004-opaque-api-keys', up: m004.up },
  { name: '005-client-secrets', up: m005.up },
  { name: '006-opaque-access-tokens', up: m006.up },
  { name: '008-blocking-conditions', up: m008.up },
  { name: '009-api-key-leaks', up: m009.up },
  { name: '010-api-bound-keys', up: m010.up },
  { name: '011-audit-events', up: m011.up },
  { name: '012-webhooks', up: m012.up },
  { name: '013-usage-analytics', up: m013.up },
  { name: '014-scopes', up: m014.up },
  { name: '015-lifecycle-history', up: m015.up },
];
