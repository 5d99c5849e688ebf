import { newUuid } from '../core/index.js';
import { oauthClientSecretsRepository, oauthClientsRepository, type OauthClientRow } from '../store/index.js';
import { hashClientSecret } from './client-secret.js';
import type { Db, NewClientInput } from './types.js';

/**
 * A consumer secret as it moves between deployments: its SHA-256 hash (`sha256:<base64url>`, the form Portico
 * stores), never the secret. The hash of a 161-bit random secret cannot be turned back into it, and it is only
 * good for checking a presented secret — which is exactly what the importing key manager needs.
 */
export interface TransferredSecret {
  hash: string;
  /** Last 4 characters of the secret (as the Developer Portal shows them), '' when unknown. */
  hint: string;
  description: string;
  /** Epoch ms after which the secret no longer works; null: never. */
  expiresAt: number | null;
}

/** The stored hash format of a consumer secret. */
export const SECRET_HASH_RE = /^sha256:[A-Za-z0-9_-]{43}$/;

/** The secrets of a client that still work at `now` (active or in a rotation grace), as hashes. */
export async function exportClientSecrets(
  db: Db,
  clientId: string,
  now: number,
): Promise<TransferredSecret[]> {
  const rows = await oauthClientSecretsRepository(db).listByClient(clientId);
  return rows
    .filter(
      (r) =>
        (r.expires_at === null || r.expires_at > now) &&
        (r.grace_expires_at === null || r.grace_expires_at > now),
    )
    .map((r) => ({
      hash: r.secret_hash,
      hint: r.secret_hint,
      description: r.description,
      // A secret in its rotation grace stops working when the grace ends.
      expiresAt: r.grace_expires_at ?? r.expires_at,
    }));
}

/** A plain secret (WSO2 exports the consumer secret itself) in the transferred form. */
export function transferredSecretOf(secret: string): TransferredSecret {
  return { hash: hashClientSecret(secret), hint: secret.slice(-4), description: '', expiresAt: null };
}

/**
 * Registers a client exported from another deployment under its own consumer key, with the secrets it had (as
 * hashes), so the same consumer key and secret authenticate here. The caller checks that the key is free.
 */
export async function importClient(
  db: Db,
  input: NewClientInput & { clientId: string; secrets: readonly TransferredSecret[] },
  now: number,
): Promise<void> {
  const newest = input.secrets[input.secrets.length - 1];
  const row: OauthClientRow = {
    client_id: input.clientId,
    // The column of the single-secret era keeps the newest hash (as a rotation does).
    secret_hash: newest?.hash ?? hashClientSecret(newUuid()),
    name: input.name,
    owner: input.owner,
    grant_types: JSON.stringify([...input.grantTypes]),
    callback_url: input.callbackUrl ?? '',
    application_id: input.applicationId ?? null,
    key_type: input.keyType ?? null,
    created_at: now,
    updated_at: now,
  };
  await oauthClientsRepository(db).insert(row);
  for (const s of input.secrets)
    await oauthClientSecretsRepository(db).insert({
      secret_id: newUuid(),
      client_id: input.clientId,
      secret_hash: s.hash,
      secret_hint: s.hint,
      description: s.description,
      created_at: now,
      expires_at: s.expiresAt,
      grace_expires_at: null,
    });
}
