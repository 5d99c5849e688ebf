import type { Selectable } from 'kysely';
import type { UsersTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type UserRow = Selectable<UsersTable>;

/** Users: accounts of people signing in to the portals and REST APIs. */
export interface UsersRepository {
  findByUsername(username: string): Promise<UserRow | undefined>;
  list(): Promise<UserRow[]>;
  insert(row: UserRow): Promise<void>;
  updatePassword(username: string, passwordHash: string, now: number): Promise<boolean>;
  updateRoles(username: string, roles: string[], now: number): Promise<boolean>;
  recordFailure(username: string, lockedUntil: number | null): Promise<void>;
  resetFailures(username: string): Promise<void>;
  delete(username: string): Promise<boolean>;
}

/** The users repository over the store or one of its transactions. */
export function usersRepository(q: Queryable): UsersRepository {
  const db = dbOf(q);
  return {
    findByUsername: (username) =>
      db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst(),
    list: () => db.selectFrom('users').selectAll().orderBy('username').execute(),
    async insert(row) {
      await db.insertInto('users').values(row).execute();
    },
    async updatePassword(username, passwordHash, now) {
      const r = await db
        .updateTable('users')
        .set({ password_hash: passwordHash, updated_at: now, failed_attempts: 0, locked_until: null })
        .where('username', '=', username)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async updateRoles(username, roles, now) {
      const r = await db
        .updateTable('users')
        .set({ roles: JSON.stringify(roles), updated_at: now })
        .where('username', '=', username)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async recordFailure(username, lockedUntil) {
      await db
        .updateTable('users')
        .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1), locked_until: lockedUntil }))
        .where('username', '=', username)
        .execute();
    },
    async resetFailures(username) {
      await db
        .updateTable('users')
        .set({ failed_attempts: 0, locked_until: null })
        .where('username', '=', username)
        .execute();
    },
    async delete(username) {
      const r = await db.deleteFrom('users').where('username', '=', username).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
