import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { Clock } from '../../core/index.js';
import { newUuid, RestError } from '../../core/index.js';
import { usersRepository, type Store, type UserRow } from '../../store/index.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { isRole, isRoleName, ROLES } from './roles.js';
import { cleartextPasswordRefused, type SignInOrigin } from './sign-in-origin.js';
import { createSignInThrottle, type SignInThrottleOptions } from './sign-in-throttle.js';

export interface User {
  username: string;
  /** Built-in roles (`Role`) and the organisation's own role names. */
  roles: string[];
  email: string | null;
  createdAt: number;
}

/**
 * Outcome of a sign-in. `invalid` covers unknown users and wrong passwords alike; `throttled` means the (user,
 * address) pair or the address is in backoff; `insecure-transport` means a password arrived over plain HTTP from
 * another machine (see {@link cleartextPasswordRefused}), refused before it is checked.
 */
export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterMs: number }
  | { ok: false; reason: 'insecure-transport' };

/** Options of {@link createUserService}. */
export interface UserServiceOptions {
  /** Receives one line per refused sign-in (user name, client IP, reason; never the password). Default: silent. */
  logger?: Logger;
  /** `[server] allow_insecure_auth`: accept passwords over plain HTTP from other machines. Default false. */
  allowInsecureAuth?: boolean;
  /** `[user_store] custom_roles`: role names users may hold besides the built-in ones. Default none. */
  customRoles?: readonly string[];
  /** Sign-in throttling tuning (tests). */
  throttle?: SignInThrottleOptions;
}

const USERNAME = /^[A-Za-z0-9._@-]{1,100}$/;

/**
 * Accounts: creation, password changes, and sign-in throttled per (user, client network) and per client network
 * with exponential backoff (`sign-in-throttle.ts`).
 */
export interface UserService {
  create(username: string, password: string, roles: string[], email?: string | null): Promise<User>;
  setPassword(username: string, password: string): Promise<void>;
  setRoles(username: string, roles: string[]): Promise<void>;
  get(username: string): Promise<User | undefined>;
  list(): Promise<User[]>;
  remove(username: string): Promise<boolean>;
  /** Checks a password. Every caller passes where the attempt comes from: throttling and transport rules use it. */
  signIn(username: string, password: string, origin: SignInOrigin): Promise<SignInResult>;
}

/**
 * The user service over the store. Sign-in counters are kept in this process's memory (bounded).
 * @example const users = createUserService(store, clock, { logger, allowInsecureAuth: config.server.allow_insecure_auth });
 */
export function createUserService(store: Store, clock: Clock, opts: UserServiceOptions = {}): UserService {
  const repo = usersRepository(store);
  const log = (opts.logger ?? pino({ level: 'silent' })).child({ component: 'sign-in' });
  const throttle = createSignInThrottle(clock, {
    onOverflow: (table, size) =>
      log.warn({ table, size }, 'sign-in throttle table full: dropping the oldest live counters'),
    ...opts.throttle,
  });
  const allowInsecureAuth = opts.allowInsecureAuth ?? false;
  const known = new Set(opts.customRoles ?? []);
  /** @throws RestError VALIDATION_FAILED naming the roles that are neither built in nor configured. */
  const checkRoles = (roles: readonly string[]) => {
    const bad = roles.filter((r) => !isRole(r) && !known.has(r));
    if (bad.length)
      throw new RestError(
        'VALIDATION_FAILED',
        `Unknown role: ${bad.join(', ')} (built-in roles: ${ROLES.join(', ')}; others go in [user_store] custom_roles)`,
      );
  };
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
      checkRoles(roles);
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
      checkRoles(roles);
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
    async signIn(username, password, origin) {
      // Names longer than any valid one are logged and counted shortened, so they cannot bloat either.
      const name = username.length > 100 ? `${username.slice(0, 100)}…` : username;
      const refused = (
        reason: string,
        extra: Record<string, unknown> = {},
        level: 'info' | 'warn' = 'info',
      ) => log[level]({ username: name, clientIp: origin.ip, reason, ...extra }, 'sign-in refused');
      if (cleartextPasswordRefused(origin, allowInsecureAuth)) {
        refused('insecure-transport');
        return { ok: false, reason: 'insecure-transport' };
      }
      let gate = throttle.begin(name, origin.ip);
      // Other attempts of this pair or network are being checked: wait for one to settle, then ask again (a
      // caller outrun by new arrivals for 10 s is refused as throttled rather than kept waiting).
      const waitUntil = clock.now() + 10_000;
      while (gate.allowed === 'wait') {
        if (clock.now() > waitUntil) {
          refused('throttled', { retryAfterMs: 1000, scope: 'concurrent' });
          return { ok: false, reason: 'throttled', retryAfterMs: 1000 };
        }
        await gate.settled;
        gate = throttle.begin(name, origin.ip);
      }
      if (!gate.allowed) {
        refused('throttled', { retryAfterMs: gate.retryAfterMs, scope: gate.scope });
        return { ok: false, reason: 'throttled', retryAfterMs: gate.retryAfterMs };
      }
      let row: UserRow | undefined;
      let valid: boolean;
      try {
        row = await repo.findByUsername(username);
        valid = await verifyPassword(password, row ? row.password_hash : await dummyHash);
      } catch (err) {
        gate.attempt.cancelled(); // a store failure is not the caller's guess
        throw err;
      }
      if (row && valid) {
        gate.attempt.succeeded();
        return { ok: true, user: toUser(row) };
      }
      const { lockedForMs } = gate.attempt.failed();
      const reason = row ? 'wrong-password' : 'unknown-user';
      if (lockedForMs > 0) refused(reason, { lockedForMs }, 'warn');
      else refused(reason);
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
  const roles = (JSON.parse(row.roles) as unknown[]).filter(isRoleName);
  return { username: row.username, roles, email: row.email, createdAt: row.created_at };
}
