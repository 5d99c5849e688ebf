import type { JsonWebKeyPublic, SnapshotKeyManager } from '../../core/index.js';

/** What a snapshot needs from outside the store: the resident key manager, external JWKS (the trust store is read from the store). */
export interface SnapshotExtras {
  /** Key managers known outside the store (the resident one, from the primary key). */
  residentKeyManager: SnapshotKeyManager;
  /** External key managers as the key-manager module maps them (JWKS already fetched), if any. */
  externalKeyManagers?: () => SnapshotKeyManager[];
  /**
   * Current JWKS of an external key manager of the `key_managers` table (the JWKS refresher's keys). Without it,
   * those managers are in the snapshot with no keys.
   */
  externalJwks?: (name: string) => readonly JsonWebKeyPublic[];
}
