import { gatewayPathOf, newUuid } from '../../core/index.js';
import { signCompactJws, x5tOfCert } from '../../crypto/index.js';
import type { ControlPlaneContext } from '../context.js';
import { SUPER_TENANT, withTenantSuffix } from '../devportal/api-keys/api-key-claims.js';
import { findApiOr404 } from './api-service.js';

/**
 * How long an internal key lives, in seconds. WSO2 reports `validityTime: 60000` and (by treating those
 * milliseconds as seconds) issues keys for 16.7 hours; Portico's keys live one hour and say so.
 */
export const INTERNAL_KEY_VALIDITY_SECONDS = 3600;

/**
 * `POST /apis/{apiId}/generate-key` (WSO2 `generateInternalAPIKey`): a key for trying the API from the Publisher,
 * sent in the `Internal-Key` header. A JWT signed with the API-key signer (`kid` = its alias, so gateways verify it
 * against the trust store like API keys) with `token_type: InternalKey`, the API in `subscribedAPIs` (context with
 * version, as WSO2) and Portico's `api_id`: it works for this API only, needs no subscription, and stops working
 * when the API is deleted. Nothing is stored: the key is short-lived and bound to one API.
 * @throws RestError API_NOT_FOUND
 */
export async function generateInternalKey(ctx: ControlPlaneContext, apiId: string, username: string) {
  const api = await findApiOr404(ctx.store, apiId);
  const signer = ctx.apiKeySigner;
  const iat = Math.floor(ctx.clock.now() / 1000);
  const payload = {
    sub: withTenantSuffix(username),
    iss: ctx.urls.issuer,
    keytype: 'PRODUCTION',
    subscribedAPIs: [
      {
        subscriberTenantDomain: SUPER_TENANT,
        name: api.name,
        context: gatewayPathOf(api.context, api.version),
        publisher: api.provider,
        version: api.version,
        subscriptionTier: null,
      },
    ],
    api_id: api.id,
    exp: iat + INTERNAL_KEY_VALIDITY_SECONDS,
    token_type: 'InternalKey',
    iat,
    jti: newUuid(),
  };
  const apikey = signCompactJws({
    header: { x5t: x5tOfCert(signer.certificate, 'sha1'), kid: signer.alias, typ: 'JWT', alg: 'RS256' },
    payload,
    privateKey: signer.privateKey,
    alg: 'RS256',
    padded: true,
  });
  ctx.logger.info({ jti: payload.jti, api: api.id, user: username }, 'internal api key issued');
  return { apikey, validityTime: INTERNAL_KEY_VALIDITY_SECONDS };
}
