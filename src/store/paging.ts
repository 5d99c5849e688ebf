import type { OrderByDirection, OrderByExpression, SelectQueryBuilder } from 'kysely';

/** One page of a listing: `limit` rows from `offset`. */
export interface PageRequest {
  readonly limit: number;
  readonly offset: number;
}

/**
 * Every column of the rows `query` (a filtered `selectFrom`, nothing selected yet) matches, ordered by `order`
 * (each `direction`; end it in a unique column for a stable order), `page.limit` rows from `page.offset`.
 */
export function selectPage<DB, TB extends keyof DB>(
  query: SelectQueryBuilder<DB, TB, object>,
  order: readonly OrderByExpression<DB, TB, object>[],
  direction: OrderByDirection,
  page: PageRequest,
) {
  let q = query.selectAll();
  for (const column of order) q = q.orderBy(column, direction);
  return q.limit(page.limit).offset(page.offset).execute();
}

/** How many rows `query` (a filtered `selectFrom`, nothing selected yet) matches. */
export async function countRows<DB, TB extends keyof DB>(
  query: SelectQueryBuilder<DB, TB, object>,
): Promise<number> {
  // Over a generic table kysely cannot name the selection's type; it is the one `n` selected here.
  const r = (await query.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst()) as
    { n: number | string } | undefined;
  return Number(r?.n ?? 0);
}
