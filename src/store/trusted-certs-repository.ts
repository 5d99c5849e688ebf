import { dbOf, type Queryable } from './open-store.js';

/** Rows of the deployment's trust store live in `settings` under this prefix, one per alias (lower-cased). */
const CERT_PREFIX = 'truststore:cert:';
/** Set once the trust store file was imported into the store (the file is read once per deployment). */
const SEEDED = 'truststore:seeded';

/** A trusted certificate as stored: its alias as given and its PEM. */
export interface TrustedCertRow {
  readonly alias: string;
  readonly pem: string;
}

/**
 * The deployment's trust store (certificates by alias, case-insensitive like Java's), shared by every control
 * plane of a deployment. Stored as `settings` rows (`truststore:cert:<alias>`), so it needs no table of its own.
 */
export interface TrustedCertsRepository {
  /** Every certificate, ordered by alias. */
  list(): Promise<TrustedCertRow[]>;
  /** Every certificate as the snapshot carries them: PEM by alias. */
  record(): Promise<Record<string, string>>;
  get(alias: string): Promise<TrustedCertRow | undefined>;
  /** Inserts or replaces the certificate of `alias`. A plain insert of an existing alias is a unique violation. */
  put(row: TrustedCertRow, opts?: { replace?: boolean }): Promise<void>;
  /** Removes `alias`; false when there was none. */
  remove(alias: string): Promise<boolean>;
  /** True once the trust store file was imported (see {@link TrustedCertsRepository.markSeeded}). */
  isSeeded(): Promise<boolean>;
  markSeeded(): Promise<void>;
}

export function trustedCertsRepository(q: Queryable): TrustedCertsRepository {
  const db = dbOf(q);
  const keyOf = (alias: string) => CERT_PREFIX + alias.toLowerCase();
  const parse = (value: string): TrustedCertRow => JSON.parse(value) as TrustedCertRow;
  const list = async (): Promise<TrustedCertRow[]> => {
    const rows = await db
      .selectFrom('settings')
      .select('value')
      .where('key', 'like', `${CERT_PREFIX}%`)
      .orderBy('key')
      .execute();
    return rows.map((r) => parse(r.value));
  };
  return {
    list,
    async record() {
      const out: Record<string, string> = {};
      for (const r of await list()) out[r.alias] = r.pem;
      return out;
    },
    async get(alias) {
      const row = await db
        .selectFrom('settings')
        .select('value')
        .where('key', '=', keyOf(alias))
        .executeTakeFirst();
      return row === undefined ? undefined : parse(row.value);
    },
    async put(row, opts = {}) {
      const value = JSON.stringify({ alias: row.alias, pem: row.pem });
      const insert = db.insertInto('settings').values({ key: keyOf(row.alias), value });
      if (opts.replace === true)
        await insert.onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
      else await insert.execute();
    },
    async remove(alias) {
      const res = await db.deleteFrom('settings').where('key', '=', keyOf(alias)).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
    async isSeeded() {
      const row = await db.selectFrom('settings').select('key').where('key', '=', SEEDED).executeTakeFirst();
      return row !== undefined;
    },
    async markSeeded() {
      await db
        .insertInto('settings')
        .values({ key: SEEDED, value: '1' })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
    },
  };
}
