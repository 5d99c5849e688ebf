import type { Selectable } from 'kysely';
import type { SubscriptionsTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type SubscriptionRow = Selectable<SubscriptionsTable>;

/** Subscriptions: which application may call which API, under which subscription policy (tier). */
export interface SubscriptionsRepository {
  findByUuid(uuid: string): Promise<SubscriptionRow | undefined>;
  findByApplicationAndApi(applicationId: number, apiId: string): Promise<SubscriptionRow | undefined>;
  listByApplication(applicationId: number): Promise<SubscriptionRow[]>;
  listByApplications(applicationIds: readonly number[]): Promise<SubscriptionRow[]>;
  listByApi(apiId: string): Promise<SubscriptionRow[]>;
  listAll(): Promise<SubscriptionRow[]>;
  /** How many subscriptions use a subscription policy (current or requested). */
  countByPolicy(policy: string): Promise<number>;
  /** Subscription counts per application id. */
  countsByApplication(applicationIds: readonly number[]): Promise<Map<number, number>>;
  insert(row: SubscriptionRow): Promise<void>;
  update(
    uuid: string,
    fields: Partial<Pick<SubscriptionRow, 'policy' | 'requested_policy' | 'status' | 'updated_at'>>,
  ): Promise<boolean>;
  delete(uuid: string): Promise<boolean>;
  /**
   * An application's current subscriptions (REJECTED and ON_HOLD excluded) with their API's name, context,
   * version and provider, oldest first: the `subscribedAPIs` of an API key's claims.
   */
  listCurrentWithApi(applicationId: number): Promise<SubscribedApiRow[]>;
}

export interface SubscribedApiRow {
  name: string;
  context: string;
  version: string;
  provider: string;
  policy: string;
}

/** The subscriptions repository over the store or one of its transactions. */
export function subscriptionsRepository(q: Queryable): SubscriptionsRepository {
  const db = dbOf(q);
  const base = () => db.selectFrom('subscriptions').selectAll();
  return {
    findByUuid: (uuid) => base().where('uuid', '=', uuid).executeTakeFirst(),
    findByApplicationAndApi: (applicationId, apiId) =>
      base().where('application_id', '=', applicationId).where('api_id', '=', apiId).executeTakeFirst(),
    listByApplication: (applicationId) =>
      base().where('application_id', '=', applicationId).orderBy('created_at').orderBy('uuid').execute(),
    listByApplications: (ids) =>
      ids.length === 0
        ? Promise.resolve([])
        : base()
            .where('application_id', 'in', [...ids])
            .orderBy('created_at')
            .orderBy('uuid')
            .execute(),
    listByApi: (apiId) => base().where('api_id', '=', apiId).orderBy('created_at').orderBy('uuid').execute(),
    listAll: () => base().orderBy('created_at').orderBy('uuid').execute(),
    async countByPolicy(policy) {
      const row = await db
        .selectFrom('subscriptions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where((eb) => eb.or([eb('policy', '=', policy), eb('requested_policy', '=', policy)]))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async countsByApplication(ids) {
      const out = new Map<number, number>();
      if (ids.length === 0) return out;
      const rows = await db
        .selectFrom('subscriptions')
        .select(['application_id', (eb) => eb.fn.countAll().as('n')])
        .where('application_id', 'in', [...ids])
        .groupBy('application_id')
        .execute();
      for (const r of rows) out.set(Number(r.application_id), Number(r.n));
      return out;
    },
    async insert(row) {
      await db.insertInto('subscriptions').values(row).execute();
    },
    async update(uuid, fields) {
      const r = await db.updateTable('subscriptions').set(fields).where('uuid', '=', uuid).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async delete(uuid) {
      const r = await db.deleteFrom('subscriptions').where('uuid', '=', uuid).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    listCurrentWithApi: (applicationId) =>
      db
        .selectFrom('subscriptions as s')
        .innerJoin('apis as a', 'a.id', 's.api_id')
        .select([
          'a.name as name',
          'a.context as context',
          'a.version as version',
          'a.provider as provider',
          's.policy as policy',
        ])
        .where('s.application_id', '=', applicationId)
        .where('s.status', 'not in', ['REJECTED', 'ON_HOLD'])
        .orderBy('s.created_at')
        .orderBy('s.uuid')
        .execute(),
  };
}
