import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { Clock } from '../../core/index.js';
import { newUuid, RestError } from '../../core/index.js';
import { usersRepository, type Store, type UserRow } from '../../store/index.js';
import { SYSTEM_ACTOR, type AuditActor, type AuditEventInput, type AuditLog } from '../audit/audit-log.js';
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
  /** Where account changes and sign-ins are recorded (`ctx.audit`). Default: not recorded. */
  audit?: AuditLog;
  /** Sign-in throttling tuning (tests). */
  throttle?: SignInThrottleOptions;
}

const USERNAME = /^[A-Za-z0-9._@-]{1,100}$/;

/**
 * Accounts: creation, password changes, and sign-in throttled per (user, client network) and per client network
 * with exponential backoff (`sign-in-throttle.ts`).
 */
export interface UserService {
  /** `actor` (default `system`) is who the audit log names for the change. */
  create(
    username: string,
    password: string,
    roles: string[],
    email?: string | null,
    actor?: AuditActor,
  ): Promise<User>;
  setPassword(username: string, password: string, actor?: AuditActor): Promise<void>;
  setRoles(username: string, roles: string[], actor?: AuditActor): Promise<void>;
  get(username: string): Promise<User | undefined>;
  list(): Promise<User[]>;
  remove(username: string, actor?: AuditActor): Promise<boolean>;
  /** Checks a password. Every caller passes where the attempt comes from: throttling and transport rules use it. */
  signIn(username: string, password: string, origin: SignInOrigin): Promise<SignInResult>;
}

/**
 * The user service over the store. Sign-in counters are kept in this process's memory (bounded).
 * @example const users = createUserService(store, clock, { logger, allowInsecureAuth: config.server.allow_insecure_auth });
 */
export function createUserService(store: Store, clock: Clock, opts: UserServiceOptions = {}): UserService {
  const repo = usersRepository(store);
  const audit = opts.audit;
  /** Runs a user-table write and its audit event in one transaction (no audit log: the write alone). */
  const audited = async <T>(
    write: (users: ReturnType<typeof usersRepository>) => Promise<T>,
    event: (result: T) => AuditEventInput | null,
  ): Promise<T> =>
    store.transaction(async (trx) => {
      const result = await write(usersRepository(trx));
      const e = audit ? event(result) : null;
      if (e) await audit!.record(e, trx);
      return result;
    });
  const userTarget = (username: string) => ({ type: 'user' as const, id: username, name: username });
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
    async create(username, password, roles, email = null, actor = SYSTEM_ACTOR) {
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
      const passwordHash = await hashPassword(password);
      await audited(
        (users) =>
          users.insert({
            id: newUuid(),
            username,
            password_hash: passwordHash,
            roles: JSON.stringify(roles),
            email,
            failed_attempts: 0,
            locked_until: null,
            created_at: now,
            updated_at: now,
          }),
        () => ({
          action: 'user.created',
          actor,
          target: userTarget(username),
          details: { roles: roles.join(',') },
        }),
      );
      return { username, roles, email, createdAt: now };
    },
    async setPassword(username, password, actor = SYSTEM_ACTOR) {
      checkPassword(password);
      const passwordHash = await hashPassword(password);
      const ok = await audited(
        (users) => users.updatePassword(username, passwordHash, clock.now()),
        (done) => (done ? { action: 'user.password-changed', actor, target: userTarget(username) } : null),
      );
      if (!ok) throw new RestError('USER_NOT_FOUND', `User ${username} not found`);
    },
    async setRoles(username, roles, actor = SYSTEM_ACTOR) {
      checkRoles(roles);
      const before = await repo.findByUsername(username);
      const ok = await audited(
        (users) => users.updateRoles(username, roles, clock.now()),
        (done) =>
          done
            ? {
                action: 'user.roles-changed',
                actor,
                target: userTarget(username),
                details: { from: before ? toUser(before).roles.join(',') : null, to: roles.join(',') },
              }
            : null,
      );
      if (!ok) throw new RestError('USER_NOT_FOUND', `User ${username} not found`);
    },
    async get(username) {
      const row = await repo.findByUsername(username);
      return row ? toUser(row) : undefined;
    },
    async list() {
      return (await repo.list()).map(toUser);
    },
    remove: (username, actor = SYSTEM_ACTOR) =>
      audited(
        (users) => users.delete(username),
        (done) => (done ? { action: 'user.deleted', actor, target: userTarget(username) } : null),
      ),
    async signIn(username, password, origin) {
      // Names longer than any valid one are logged and counted shortened, so they cannot bloat either.
      const name = username.length > 100 ? `${username.slice(0, 100)}…` : username;
      const channel = origin.channel ?? 'other';
      const recordSignIn = async (failure?: string, details: Record<string, number | string> = {}) => {
        if (!audit || (failure === undefined && channel === 'basic')) return;
        await audit.record({
          action: 'user.signed-in',
          actor: { name, clientIp: origin.ip },
          target: userTarget(name),
          ...(failure === undefined ? {} : { failure }),
          details: { channel, ...details },
        });
      };
      const refused = async (
        reason: string,
        extra: Record<string, number | string> = {},
        level: 'info' | 'warn' = 'info',
      ) => {
        log[level]({ username: name, clientIp: origin.ip, reason, ...extra }, 'sign-in refused');
        await recordSignIn(reason, extra);
      };
      if (cleartextPasswordRefused(origin, allowInsecureAuth)) {
        await refused('insecure-transport');
        return { ok: false, reason: 'insecure-transport' };
      }
      let gate = throttle.begin(name, origin.ip);
      // Other attempts of this pair or network are being checked: wait for one to settle, then ask again (a
      // caller outrun by new arrivals for 10 s is refused as throttled rather than kept waiting).
      const waitUntil = clock.now() + 10_000;
      while (gate.allowed === 'wait') {
        if (clock.now() > waitUntil) {
          await refused('throttled', { retryAfterMs: 1000, scope: 'concurrent' });
          return { ok: false, reason: 'throttled', retryAfterMs: 1000 };
        }
        await gate.settled;
        gate = throttle.begin(name, origin.ip);
      }
      if (!gate.allowed) {
        await refused('throttled', { retryAfterMs: gate.retryAfterMs, scope: gate.scope });
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
        await recordSignIn();
        return { ok: true, user: toUser(row) };
      }
      const { lockedForMs } = gate.attempt.failed();
      const reason = row ? 'wrong-password' : 'unknown-user';
      if (lockedForMs > 0) await refused(reason, { lockedForMs }, 'warn');
      else await refused(reason);
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
