import type { KeyType } from '../../../core/index.js';
import type { IpRestriction, RefererRestriction } from './api-key-restrictions.js';

/** What a verified API key contributes, cached by raw key (restrictions compiled once). */
export interface VerifiedApiKey {
  readonly jti: string;
  /** `jwt` (self-contained, signed) or `opaque` (found by its HMAC in the snapshot). */
  readonly format: 'jwt' | 'opaque';
  readonly subject: string;
  readonly keyType: KeyType;
  /** `application.id`, or null when the key has none (full-claims keys may still pass by `subscribedAPIs`). */
  readonly applicationId: number | null;
  readonly ipRule: IpRestriction | null;
  readonly refererRule: RefererRestriction | null;
  /** `subscribedAPIs` of full-claims keys (3.x, 4.0–4.3); null for lightweight keys. */
  readonly subscribedApis: readonly { readonly context: unknown; readonly version: unknown }[] | null;
  readonly claims: Readonly<Record<string, unknown>>;
}
