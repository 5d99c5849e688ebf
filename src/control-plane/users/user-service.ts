import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/index.js';
import { newUuid, RestError } from '../../core/index.js';
import { usersRepository, type Store, type UserRow } from '../../store/index.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { isRole, type Role } from './roles.js';

export interface User {
  username: string;
  roles: Role[];
  email: string | null;
  createdAt: number;
}

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterMs: number };

/** Failed sign-ins before we start slowing down a user name. */
const FREE_FAILURES = 3;
const MAX_DELAY_MS = 5 * 60_000;
const USERNAME = /^[A-Za-z0-9._@-]{1,100}$/;

/** Accounts: creation, password changes, sign-in with a growing delay after repeated failures. */
export interface UserService {
  create(username: string, password: string, roles: Role[], email?: string | null): Promise<User>;
  setPassword(username: string, password: string): Promise<void>;
  setRoles(username: string, roles: Role[]): Promise<void>;
  get(username: string): Promise<User | undefined>;
  list(): Promise<User[]>;
  remove(username: string): Promise<boolean>;
  signIn(username: string, password: string): Promise<SignInResult>;
}

export function createUserService(store: Store, clock: Clock): UserService {
  const repo = usersRepository(store.db);
  // A hash to compare against when the user does not exist, so timing does not reveal which names exist.
  const dummyHash = hashPassword(randomBytes(16).toString('hex'));
  return {
    async create(username, password, roles, email = null) {
      if (!USERNAME.test(username)) {
        throw new RestError(
          'VALIDATION_FAILED',
          'User name must be 1-100 characters of letters, digits, . _ @ -',
        );
      }
      checkPassword(password);
      const bad = roles.filter((r) => !isRole(r));
      if (bad.length) throw new RestError('VALIDATION_FAILED', `Unknown role: ${bad.join(', ')}`);
      if (await repo.findByUsername(username))
        throw new RestError('CONFLICT', `User ${username} already exists`);
      const now = clock.now();
      await repo.insert({
        id: newUuid(),
        username,
        password_hash: await hashPassword(password),
        roles: JSON.stringify(roles),
        email,
        failed_attempts: 0,
        locked_until: null,
        created_at: now,
        updated_at: now,
      });
      return { username, roles, email, createdAt: now };
    },
    async setPassword(username, password) {
      checkPassword(password);
      const ok = await repo.updatePassword(username, await hashPassword(password), clock.now());
      if (!ok) throw new RestError('USER_NOT_FOUND', `User ${username} not found`);
    },
    async setRoles(username, roles) {
      const bad = roles.filter((r) => !isRole(r));
      if (bad.length) throw new RestError('VALIDATION_FAILED', `Unknown role: ${bad.join(', ')}`);
      if (!(await repo.updateRoles(username, roles, clock.now()))) {
        throw new RestError('USER_NOT_FOUND', `User ${username} not found`);
      }
    },
    async get(username) {
      const row = await repo.findByUsername(username);
      return row ? toUser(row) : undefined;
    },
    async list() {
      return (await repo.list()).map(toUser);
    },
    remove: (username) => repo.delete(username),
    async signIn(username, password) {
      const row = await repo.findByUsername(username);
      if (!row) {
        await verifyPassword(password, await dummyHash);
        return { ok: false, reason: 'invalid' };
      }
      const now = clock.now();
      if (row.locked_until && row.locked_until > now) {
        return { ok: false, reason: 'throttled', retryAfterMs: row.locked_until - now };
      }
      if (await verifyPassword(password, row.password_hash)) {
        if (row.failed_attempts > 0) await repo.resetFailures(username);
        return { ok: true, user: toUser(row) };
      }
      const failures = row.failed_attempts + 1;
      const delay =
        failures >= FREE_FAILURES ? Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - FREE_FAILURES)) : 0;
      await repo.recordFailure(username, delay ? now + delay : null);
      return { ok: false, reason: 'invalid' };
    },
  };
}

function checkPassword(password: string): void {
  if (typeof password !== 'string' || password.length < 8 || password.length > 256) {
    throw new RestError('VALIDATION_FAILED', 'Password must be 8 to 256 characters long');
  }
}

function toUser(row: UserRow): User {
  const roles = (JSON.parse(row.roles) as string[]).filter(isRole);
  return { username: row.username, roles, email: row.email, createdAt: row.created_at };
}
