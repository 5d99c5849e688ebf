import { sql, type Insertable, type Selectable } from 'kysely';
import type { ApiDeploymentsTable, ApiLifecycleEventsTable, ApiRevisionsTable, ApisTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type ApiRow = Selectable<ApisTable>;
export type ApiRevisionRow = Selectable<ApiRevisionsTable>;
export type ApiDeploymentRow = Selectable<ApiDeploymentsTable>;
export type NewApiDeploymentRow = Insertable<ApiDeploymentsTable>;
export type ApiLifecycleEventRow = Selectable<ApiLifecycleEventsTable>;

/** APIs with their revisions and gateway deployments (the Publisher's aggregate). */
export interface ApisRepository {
  findById(id: string): Promise<ApiRow | undefined>;
  /** Every API, oldest first (callers filter and page in memory: API counts are small). */
  list(): Promise<ApiRow[]>;
  /** APIs in one of the given lifecycle states. */
  listByLifecycle(states: readonly string[]): Promise<ApiRow[]>;
  insert(row: ApiRow): Promise<void>;
  update(
    id: string,
    fields: Partial<Pick<ApiRow, 'name' | 'context' | 'lifecycle' | 'definition' | 'updated_at'>>,
  ): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  insertRevision(row: ApiRevisionRow): Promise<void>;
  listRevisions(apiId: string): Promise<ApiRevisionRow[]>;
  findRevision(apiId: string, revisionId: string): Promise<ApiRevisionRow | undefined>;
  deleteRevision(revisionId: string): Promise<boolean>;
  /** The highest revision number ever used for an API (0 when none). */
  maxRevisionNumber(apiId: string): Promise<number>;
  /**
   * Deploys a revision to an environment, replacing what was deployed there (its Developer Portal visibility is
   * kept unless the row sets it).
   */
  upsertDeployment(row: NewApiDeploymentRow): Promise<void>;
  /** Sets whether the Developer Portal shows a deployment; false when the API has none in `environment`. */
  setDeploymentVisibility(apiId: string, environment: string, displayOnDevportal: boolean): Promise<boolean>;
  /** Records a lifecycle change (or the creation, with `previous_state` null) after the API's last one. */
  insertLifecycleEvent(row: Omit<ApiLifecycleEventRow, 'seq'>): Promise<void>;
  /** An API's lifecycle changes, oldest first. */
  listLifecycleEvents(apiId: string): Promise<ApiLifecycleEventRow[]>;
  deleteDeployment(apiId: string, environment: string, revisionId: string): Promise<boolean>;
  listDeployments(apiId: string): Promise<ApiDeploymentRow[]>;
  /** Definitions (JSON) of the APIs whose definition contains `text` verbatim: a narrowing pre-filter. */
  definitionsContaining(text: string): Promise<string[]>;
  /** Definitions (JSON) of every API and every revision. */
  allDefinitions(): Promise<string[]>;
}

/** The APIs repository over the store or one of its transactions. */
export function apisRepository(q: Queryable): ApisRepository {
  const db = dbOf(q);
  return {
    findById: (id) => db.selectFrom('apis').selectAll().where('id', '=', id).executeTakeFirst(),
    list: () => db.selectFrom('apis').selectAll().orderBy('created_at').orderBy('id').execute(),
    listByLifecycle: (states) =>
      states.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('apis')
            .selectAll()
            .where('lifecycle', 'in', [...states])
            .orderBy('created_at')
            .orderBy('id')
            .execute(),
    async insert(row) {
      await db.insertInto('apis').values(row).execute();
    },
    async update(id, fields) {
      const r = await db.updateTable('apis').set(fields).where('id', '=', id).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async delete(id) {
      // Explicit child deletes: SQLite only cascades with foreign_keys on, and order matters for PostgreSQL.
      await db.deleteFrom('api_deployments').where('api_id', '=', id).execute();
      await db.deleteFrom('subscriptions').where('api_id', '=', id).execute();
      await db.deleteFrom('api_revisions').where('api_id', '=', id).execute();
      await db.deleteFrom('api_lifecycle_events').where('api_id', '=', id).execute();
      const r = await db.deleteFrom('apis').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async insertRevision(row) {
      await db.insertInto('api_revisions').values(row).execute();
    },
    listRevisions: (apiId) =>
      db.selectFrom('api_revisions').selectAll().where('api_id', '=', apiId).orderBy('revision').execute(),
    findRevision: (apiId, revisionId) =>
      db
        .selectFrom('api_revisions')
        .selectAll()
        .where('api_id', '=', apiId)
        .where('id', '=', revisionId)
        .executeTakeFirst(),
    async deleteRevision(revisionId) {
      const r = await db.deleteFrom('api_revisions').where('id', '=', revisionId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async maxRevisionNumber(apiId) {
      const row = await db
        .selectFrom('api_revisions')
        .select((eb) => eb.fn.max('revision').as('max'))
        .where('api_id', '=', apiId)
        .executeTakeFirst();
      return Number(row?.max ?? 0);
    },
    async upsertDeployment(row) {
      await db
        .insertInto('api_deployments')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['api_id', 'environment']).doUpdateSet({
            revision_id: row.revision_id,
            vhost: row.vhost,
            deployed_at: row.deployed_at,
            ...(row.display_on_devportal === undefined
              ? {}
              : { display_on_devportal: row.display_on_devportal }),
          }),
        )
        .execute();
    },
    async setDeploymentVisibility(apiId, environment, displayOnDevportal) {
      const r = await db
        .updateTable('api_deployments')
        .set({ display_on_devportal: displayOnDevportal ? 1 : 0 })
        .where('api_id', '=', apiId)
        .where('environment', '=', environment)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async insertLifecycleEvent(row) {
      const last = await db
        .selectFrom('api_lifecycle_events')
        .select((eb) => eb.fn.max('seq').as('max'))
        .where('api_id', '=', row.api_id)
        .executeTakeFirst();
      await db
        .insertInto('api_lifecycle_events')
        .values({ ...row, seq: Number(last?.max ?? 0) + 1 })
        .execute();
    },
    listLifecycleEvents: (apiId) =>
      db.selectFrom('api_lifecycle_events').selectAll().where('api_id', '=', apiId).orderBy('seq').execute(),
    async deleteDeployment(apiId, environment, revisionId) {
      const r = await db
        .deleteFrom('api_deployments')
        .where('api_id', '=', apiId)
        .where('environment', '=', environment)
        .where('revision_id', '=', revisionId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    listDeployments: (apiId) =>
      db
        .selectFrom('api_deployments')
        .selectAll()
        .where('api_id', '=', apiId)
        .orderBy('environment')
        .execute(),
    async definitionsContaining(text) {
      const pattern = `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
      const rows = await db
        .selectFrom('apis')
        .select('definition')
        .where(sql<boolean>`definition like ${pattern} escape '!'`)
        .execute();
      return rows.map((r) => r.definition);
    },
    async allDefinitions() {
      const apis = await db.selectFrom('apis').select('definition').execute();
      const revisions = await db.selectFrom('api_revisions').select('definition').execute();
      return [...apis, ...revisions].map((r) => r.definition);
    },
  };
}
