import { newClientCredential } from '../core/index.js';
import {
  oauthClientSecretsRepository,
  oauthClientsRepository,
  refreshTokensRepository,
  type OauthClientRow,
} from '../store/index.js';
import { hashClientSecret, verifyClientSecret } from './client-secret.js';
import {
  createClientSecretManager,
  matchesUsable,
  type ClientSecretInfo,
  type ClientSecretPolicy,
  type NewSecretResult,
  type RotatedSecret,
} from './client-secret-manager.js';
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
  /**
   * Regenerate with an optional grace: the client's other secrets keep working for `graceSeconds` (state
   * `ROTATING`), or stop at once (0; its refresh tokens are then revoked too). Undefined if the client is unknown.
   */
  rotateSecret(clientId: string, graceSeconds: number, db?: Db): Promise<RotatedSecret | undefined>;
  /** One more secret (`generate-secret`); undefined if the client is unknown. */
  generateSecret(
    clientId: string,
    opts: { description: string; expiresInSeconds?: number },
    db?: Db,
  ): Promise<NewSecretResult | undefined>;
  /** The client's secrets, masked (`secrets`). */
  listSecrets(clientId: string, db?: Db): Promise<ClientSecretInfo[]>;
  /** Deletes one of the client's secrets (`revoke-secret`); false when it has no such secret. */
  revokeSecret(clientId: string, secretId: string, db?: Db): Promise<boolean>;
  /** The client when the secret is one of its usable secrets (constant-time, not expired), else null. */
  authenticateClient(clientId: string, secret: string, db?: Db): Promise<OAuthClient | null>;
}

// Compared against when the client id is unknown, so the response time does not reveal which ids exist.
const DUMMY_HASH = hashClientSecret(newClientCredential());

export function createClientRegistry(
  defaultDb: Db,
  now: () => number,
  secretPolicy: ClientSecretPolicy,
): ClientRegistry {
  const secrets = createClientSecretManager(defaultDb, now, secretPolicy);
  async function rotateSecret(
    clientId: string,
    graceSeconds: number,
    db: Db = defaultDb,
  ): Promise<RotatedSecret | undefined> {
    if (!(await oauthClientsRepository(db).find(clientId))) return undefined;
    const rotated = await secrets.rotate(clientId, graceSeconds, db);
    // The column of the single-secret era keeps the newest hash (a downgrade still finds a working secret).
    await oauthClientsRepository(db).updateSecretHash(clientId, hashClientSecret(rotated.secret), now());
    if (rotated.graceExpiresAt === null) await refreshTokensRepository(db).revokeByClient(clientId);
    return rotated;
  }

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
      await secrets.first(clientId, clientSecret, db);
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
      await oauthClientSecretsRepository(db).deleteAll(clientId);
      return oauthClientsRepository(db).delete(clientId);
    },
    async regenerateSecret(clientId, db = defaultDb) {
      return (await rotateSecret(clientId, 0, db))?.secret;
    },
    rotateSecret,
    async generateSecret(clientId, opts, db = defaultDb) {
      if (!(await oauthClientsRepository(db).find(clientId))) return undefined;
      return secrets.add(clientId, opts, db);
    },
    listSecrets: (clientId, db = defaultDb) => secrets.list(clientId, db),
    revokeSecret: (clientId, secretId, db = defaultDb) => secrets.revoke(clientId, secretId, db),
    async authenticateClient(clientId, secret, db = defaultDb) {
      // One statement: the client, its secrets and its application's token type (the token request's only read).
      const found =
        clientId.length <= 255 ? await oauthClientsRepository(db).findForAuthentication(clientId) : undefined;
      if (!found) {
        verifyClientSecret(secret, DUMMY_HASH);
        return null;
      }
      if (!matchesUsable(found.secrets, secret, now())) return null;
      return { ...toClient(found.client), opaqueAccessTokens: found.applicationTokenType === 'OAUTH' };
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
