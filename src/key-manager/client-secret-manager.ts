import { newClientCredential, newUuid } from '../core/index.js';
import {
  oauthClientSecretsRepository,
  type OauthClientSecretRow,
  type StoredSecretState,
} from '../store/index.js';
import { hashClientSecret, verifyClientSecret } from './client-secret.js';
import type { Db } from './types.js';

/**
 * `ACTIVE`: usable; `ROTATING`: replaced by a regenerate with grace, usable until `graceExpiresAt`; `EXPIRED`:
 * past its own `expiresAt`, refused at the token endpoint (listed until revoked).
 */
export type ClientSecretState = 'ACTIVE' | 'ROTATING' | 'EXPIRED';

/** What may be shown about a stored client secret: never the secret, only its last 4 characters. */
export interface ClientSecretInfo {
  secretId: string;
  description: string;
  /** Last 4 characters of the secret ('' for secrets created before multiple secrets existed). */
  hint: string;
  createdAt: number;
  expiresAt: number | null;
  graceExpiresAt: number | null;
  state: ClientSecretState;
}

/** `[oauth.client_secrets]`: whether a client may hold several secrets, and how many active ones. */
export interface ClientSecretPolicy {
  multiple: boolean;
  maxActive: number;
}

export type NewSecretResult =
  { ok: true; secret: string; info: ClientSecretInfo } | { ok: false; reason: 'disabled' | 'limit' };

/** A secret just created by a regenerate, and when the secrets it replaced stop working (null: at once). */
export interface RotatedSecret {
  secret: string;
  info: ClientSecretInfo;
  graceExpiresAt: number | null;
}

/** The client secrets of resident OAuth clients: issue, list, revoke, rotate with grace ({@link matchesUsable} verifies). */
export interface ClientSecretManager {
  /** Stores `secret` as the first secret of a new client (no policy check). */
  first(clientId: string, secret: string, db?: Db): Promise<void>;
  /** An additional secret (`generate-secret`); refused when multiple secrets are off or `maxActive` are active. */
  add(
    clientId: string,
    opts: { description: string; expiresInSeconds?: number },
    db?: Db,
  ): Promise<NewSecretResult>;
  /** The client's secrets that can still be shown (grace-ended ones are gone), oldest first. */
  list(clientId: string, db?: Db): Promise<ClientSecretInfo[]>;
  /** Deletes one secret; false when the client has no such secret. */
  revoke(clientId: string, secretId: string, db?: Db): Promise<boolean>;
  /**
   * A new secret replacing every other one: at once when `graceSeconds` is 0, else those keep working for the
   * grace (state `ROTATING`). Works whatever the policy says (`regenerate-secret`).
   */
  rotate(clientId: string, graceSeconds: number, db?: Db): Promise<RotatedSecret>;
}

/** Creates the client secret manager. `now` is the key manager's clock (ms). */
export function createClientSecretManager(
  defaultDb: Db,
  now: () => number,
  policy: ClientSecretPolicy,
): ClientSecretManager {
  async function insert(
    clientId: string,
    db: Db,
    description: string,
    expiresAt: number | null,
    secret = newClientCredential(),
  ): Promise<{ secret: string; info: ClientSecretInfo }> {
    const row: OauthClientSecretRow = {
      secret_id: newUuid(),
      client_id: clientId,
      secret_hash: hashClientSecret(secret),
      secret_hint: secret.slice(-4),
      description,
      created_at: now(),
      expires_at: expiresAt,
      grace_expires_at: null,
    };
    await oauthClientSecretsRepository(db).insert(row);
    return { secret, info: infoOf(row, row.created_at) };
  }

  return {
    async first(clientId, secret, db = defaultDb) {
      await insert(clientId, db, '', null, secret);
    },
    async add(clientId, opts, db = defaultDb) {
      if (!policy.multiple) return { ok: false, reason: 'disabled' };
      const t = now();
      const rows = await oauthClientSecretsRepository(db).listByClient(clientId);
      const active = rows.filter((r) => infoOf(r, t).state === 'ACTIVE').length;
      if (active >= policy.maxActive) return { ok: false, reason: 'limit' };
      const expiresAt = opts.expiresInSeconds === undefined ? null : t + opts.expiresInSeconds * 1000;
      return { ok: true, ...(await insert(clientId, db, opts.description, expiresAt)) };
    },
    async list(clientId, db = defaultDb) {
      const t = now();
      return (await oauthClientSecretsRepository(db).listByClient(clientId))
        .filter((r) => r.grace_expires_at === null || r.grace_expires_at > t)
        .map((r) => infoOf(r, t));
    },
    async revoke(clientId, secretId, db = defaultDb) {
      return oauthClientSecretsRepository(db).delete(clientId, secretId);
    },
    async rotate(clientId, graceSeconds, db = defaultDb) {
      const repo = oauthClientSecretsRepository(db);
      const created = await insert(clientId, db, '', null);
      const t = created.info.createdAt;
      if (graceSeconds <= 0) {
        await repo.deleteAllExcept(clientId, created.info.secretId);
        return { ...created, graceExpiresAt: null };
      }
      const graceExpiresAt = t + graceSeconds * 1000;
      await repo.deleteRetired(clientId, t);
      await repo.startGrace(clientId, created.info.secretId, graceExpiresAt);
      return { ...created, graceExpiresAt };
    },
  };
}

/**
 * True when `secret` is one of the usable (not expired, grace not over at `t`) stored secrets. Compares against
 * every row (no early exit) so timing does not tell which secret matched.
 */
export function matchesUsable(rows: readonly StoredSecretState[], secret: string, t: number): boolean {
  let ok = false;
  for (const r of rows) {
    if (verifyClientSecret(secret, r.secret_hash) && stateOf(r, t) !== 'EXPIRED') ok = true;
  }
  return ok;
}

function stateOf(r: StoredSecretState, t: number): ClientSecretState {
  const expired =
    (r.expires_at !== null && r.expires_at <= t) || (r.grace_expires_at !== null && r.grace_expires_at <= t);
  return expired ? 'EXPIRED' : r.grace_expires_at !== null ? 'ROTATING' : 'ACTIVE';
}

function infoOf(r: OauthClientSecretRow, t: number): ClientSecretInfo {
  const state = stateOf(r, t);
  return {
    secretId: r.secret_id,
    description: r.description,
    hint: r.secret_hint,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    graceExpiresAt: r.grace_expires_at,
    state,
  };
}
