import { dbOf, type Queryable } from '../../src/store/open-store.js';

/**
 * The store's query builder, for tests that seed rows no repository writes or read columns no repository
 * returns. Production code goes through the repositories in `src/store/`.
 */
export const rawDb = (q: Queryable) => dbOf(q);
