import { newClientCredential } from '../core/index.js';
import { oauthClientsRepository, refreshTokensRepository, type OauthClientRow } from '../store/index.js';
import { hashClientSecret, verifyClientSecret } from './client-secret.js';
import type { Db, NewClientInput, OAuthClient } from './types.js';

/** Creates, reads, changes and authenticates OAuth clients; secrets exist in memory only while being returned once. */
export interface ClientRegistry {
  createClient(input: NewClientInput, db?: Db): Promise<{ client: OAuthClient; clientSecret: string }>;
  getClient(clientId: string, db?: Db): Promise<OAuthClient | undefined>;
  updateClient(
    clientId: string,
    fields: {
      grantTypes?: readonly string[];
      callbackUrl?: string;
      applicationId?: number | null;
      keyType?: string | null;
    },
    db?: Db,
  ): Promise<OAuthClient | undefined>;
  /** Deletes the client and revokes its refresh tokens. */
  deleteClient(clientId: string, db?: Db): Promise<boolean>;
  /** A new secret replaces the old one at once; refresh tokens of the client are revoked. Undefined if unknown. */
  regenerateSecret(clientId: string, db?: Db): Promise<string | undefined>;
  /** The client when the secret matches (constant-time), else null. */
  authenticateClient(clientId: string, secret: string, db?: Db): Promise<OAuthClient | null>;
}

// Compared against when the client id is unknown, so the response time does not reveal which ids exist.
const DUMMY_HASH = hashClientSecret(newClientCredential());

export function createClientRegistry(defaultDb: Db, now: () => number): ClientRegistry {
  return {
    async createClient(input, db = defaultDb) {
      const clientId = newClientCredential();
      const clientSecret = newClientCredential();
      const t = now();
      const row: OauthClientRow = {
        client_id: clientId,
        secret_hash: hashClientSecret(clientSecret),
        name: input.name,
        owner: input.owner,
        grant_types: JSON.stringify([...input.grantTypes]),
        callback_url: input.callbackUrl ?? '',
        application_id: input.applicationId ?? null,
        key_type: input.keyType ?? null,
        created_at: t,
        updated_at: t,
      };
      await oauthClientsRepository(db).insert(row);
      return { client: toClient(row), clientSecret };
    },
    async getClient(clientId, db = defaultDb) {
      const row = await oauthClientsRepository(db).find(clientId);
      return row ? toClient(row) : undefined;
    },
    async updateClient(clientId, fields, db = defaultDb) {
      const repo = oauthClientsRepository(db);
      await repo.update(clientId, {
        ...(fields.grantTypes ? { grant_types: JSON.stringify([...fields.grantTypes]) } : {}),
        ...(fields.callbackUrl !== undefined ? { callback_url: fields.callbackUrl } : {}),
        ...(fields.applicationId !== undefined ? { application_id: fields.applicationId } : {}),
        ...(fields.keyType !== undefined ? { key_type: fields.keyType } : {}),
        updated_at: now(),
      });
      const row = await repo.find(clientId);
      return row ? toClient(row) : undefined;
    },
    async deleteClient(clientId, db = defaultDb) {
      await refreshTokensRepository(db).revokeByClient(clientId);
      return oauthClientsRepository(db).delete(clientId);
    },
    async regenerateSecret(clientId, db = defaultDb) {
      const secret = newClientCredential();
      const ok = await oauthClientsRepository(db).updateSecretHash(clientId, hashClientSecret(secret), now());
      if (!ok) return undefined;
      await refreshTokensRepository(db).revokeByClient(clientId);
      return secret;
    },
    async authenticateClient(clientId, secret, db = defaultDb) {
      const row = clientId.length <= 255 ? await oauthClientsRepository(db).find(clientId) : undefined;
      const ok = verifyClientSecret(secret, row?.secret_hash ?? DUMMY_HASH);
      return row && ok ? toClient(row) : null;
    },
  };
}

function toClient(row: OauthClientRow): OAuthClient {
  return {
    clientId: row.client_id,
    name: row.name,
    owner: row.owner,
    grantTypes: JSON.parse(row.grant_types) as string[],
    callbackUrl: row.callback_url,
    applicationId: row.application_id,
    keyType: row.key_type,
  };
}
