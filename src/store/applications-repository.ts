import { sql, type Selectable } from 'kysely';
import type { ApplicationsTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type ApplicationRow = Selectable<ApplicationsTable>;
export type NewApplicationRow = Omit<ApplicationRow, 'id'>;

/** A new application as the Developer Portal creates it (JWT tokens; APPROVED unless said otherwise). */
export interface NewApplication {
  uuid: string;
  name: string;
  owner: string;
  throttlingPolicy: string;
  description?: string;
  groups?: readonly string[];
  attributes?: Readonly<Record<string, string>>;
  status?: string;
  /** `JWT` (default) or `OAUTH` (opaque access tokens). */
  tokenType?: string;
  now: number;
}

/** Sort keys of the Developer Portal application list. */
export type ApplicationSortBy = 'name' | 'throttlingPolicy' | 'status';

export interface ApplicationListQuery {
  owner: string;
  /** Case-insensitive "name contains". */
  nameContains?: string;
  sortBy: ApplicationSortBy;
  sortOrder: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** Applications: the Developer Portal's consumers of APIs, owned by one user. */
export interface ApplicationsRepository {
  /** Inserts a new application and returns the generated internal id. */
  create(app: NewApplication): Promise<number>;
  findByUuid(uuid: string): Promise<ApplicationRow | undefined>;
  findById(id: number): Promise<ApplicationRow | undefined>;
  findByOwnerAndName(owner: string, name: string): Promise<ApplicationRow | undefined>;
  /** The application with this uuid when `owner` owns it. */
  findOwned(uuid: string, owner: string): Promise<ApplicationRow | undefined>;
  /** The application with this internal id when `owner` owns it. */
  findOwnedById(id: number, owner: string): Promise<ApplicationRow | undefined>;
  listByIds(ids: readonly number[]): Promise<ApplicationRow[]>;
  /** Internal ids of an owner's applications. */
  idsByOwner(owner: string): Promise<number[]>;
  /** Number of applications under an application-level throttling policy. */
  countByPolicy(policy: string): Promise<number>;
  list(q: ApplicationListQuery): Promise<{ rows: ApplicationRow[]; total: number }>;
  update(
    uuid: string,
    fields: Partial<
      Pick<
        ApplicationRow,
        'name' | 'throttling_policy' | 'description' | 'token_type' | 'attributes' | 'group_id'
      >
    > & { updated_at: number },
  ): Promise<boolean>;
  delete(uuid: string): Promise<boolean>;
  /** Number of subscriptions per application id. */
  subscriptionCounts(ids: readonly number[]): Promise<Map<number, number>>;
}

const SORT_COLUMN = { name: 'name', throttlingPolicy: 'throttling_policy', status: 'status' } as const;

/** The applications repository over the store or one of its transactions. */
export function applicationsRepository(q: Queryable): ApplicationsRepository {
  const db = dbOf(q);
  const ownedBy = (owner: string) => db.selectFrom('applications').selectAll().where('owner', '=', owner);
  return {
    async create(app) {
      const row: NewApplicationRow = {
        uuid: app.uuid,
        name: app.name,
        owner: app.owner,
        throttling_policy: app.throttlingPolicy,
        description: app.description ?? '',
        token_type: app.tokenType ?? 'JWT',
        status: app.status ?? 'APPROVED',
        group_id: (app.groups ?? []).join(','),
        attributes: JSON.stringify(app.attributes ?? {}),
        created_at: app.now,
        updated_at: app.now,
      };
      const r = await db.insertInto('applications').values(row).returning('id').executeTakeFirstOrThrow();
      return Number(r.id);
    },
    findByUuid: (uuid) =>
      db.selectFrom('applications').selectAll().where('uuid', '=', uuid).executeTakeFirst(),
    findById: (id) => db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst(),
    findOwned: (uuid, owner) => ownedBy(owner).where('uuid', '=', uuid).executeTakeFirst(),
    findOwnedById: (id, owner) => ownedBy(owner).where('id', '=', id).executeTakeFirst(),
    listByIds: async (ids) =>
      ids.length
        ? db
            .selectFrom('applications')
            .selectAll()
            .where('id', 'in', [...ids])
            .execute()
        : [],
    async idsByOwner(owner) {
      const rows = await db.selectFrom('applications').select('id').where('owner', '=', owner).execute();
      return rows.map((r) => r.id);
    },
    async countByPolicy(policy) {
      const row = await db
        .selectFrom('applications')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('throttling_policy', '=', policy)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    findByOwnerAndName: (owner, name) =>
      db
        .selectFrom('applications')
        .selectAll()
        .where('owner', '=', owner)
        .where('name', '=', name)
        .executeTakeFirst(),
    async list(q) {
      let base = db.selectFrom('applications').where('owner', '=', q.owner);
      if (q.nameContains) {
        const pattern = `%${q.nameContains.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
        base = base.where(sql<boolean>`lower(name) like ${pattern} escape '!'`);
      }
      const [rows, count] = await Promise.all([
        base
          .selectAll()
          // Case-insensitive so SQLite and PostgreSQL (any collation) page the same way.
          .orderBy(sql`lower(${sql.ref(SORT_COLUMN[q.sortBy])})`, q.sortOrder)
          .orderBy('id', 'asc')
          .limit(q.limit)
          .offset(q.offset)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },
    async update(uuid, fields) {
      const r = await db.updateTable('applications').set(fields).where('uuid', '=', uuid).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async delete(uuid) {
      const r = await db.deleteFrom('applications').where('uuid', '=', uuid).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async subscriptionCounts(ids) {
      const out = new Map<number, number>();
      if (ids.length === 0) return out;
      const rows = await db
        .selectFrom('subscriptions')
        .select((eb) => ['application_id', eb.fn.countAll<number>().as('n')])
        .where('application_id', 'in', [...ids])
        .groupBy('application_id')
        .execute();
      for (const r of rows) out.set(Number(r.application_id), Number(r.n));
      return out;
    },
  };
}
