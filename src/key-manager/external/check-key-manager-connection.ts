import { clientCredentialsToken } from './client-credentials-token.js';
import type { KeyManagerDefinition } from './key-manager-definition.js';
import { providerCall, ProviderError } from './provider-http.js';

/** Timeout of each call of a connection check (they run side by side: the whole check is bounded by it). */
export const CONNECTION_CHECK_TIMEOUT_MS = 5_000;

/** One step of a connection check. `SKIPPED`: the definition has nothing to check for it. */
export interface ConnectionCheckStep {
  check: 'discovery' | 'jwks' | 'token';
  status: 'OK' | 'FAILED' | 'SKIPPED';
  /** What worked or what did not, for a person; never a secret or a token. */
  detail: string;
}

/** The answer of a connection check: `ok` when at least one step worked and none failed. */
export interface ConnectionCheck {
  ok: boolean;
  steps: ConnectionCheckStep[];
}

/**
 * Tries an external key manager the way Portico will use it: fetches its discovery document (and compares the
 * issuer), its JWKS, and asks for a client-credentials token when the connector has `client_id`/`client_secret`.
 * Every call is bounded by `timeoutMs` and follows no redirect; the token obtained is dropped, never returned.
 * Never throws for a provider's failure: each step says what happened.
 */
export async function checkKeyManagerConnection(
  def: KeyManagerDefinition,
  timeoutMs = CONNECTION_CHECK_TIMEOUT_MS,
): Promise<ConnectionCheck> {
  const steps = await Promise.all([discovery(def, timeoutMs), jwks(def, timeoutMs), token(def, timeoutMs)]);
  const ok = steps.some((s) => s.status === 'OK') && !steps.some((s) => s.status === 'FAILED');
  return { ok, steps };
}

async function discovery(def: KeyManagerDefinition, timeoutMs: number): Promise<ConnectionCheckStep> {
  const check = 'discovery';
  if (def.wellKnownEndpoint === '') return skipped(check, 'No well-known endpoint is configured');
  return step(check, async () => {
    const doc = (await providerCall('Discovery', {
      method: 'GET',
      url: def.wellKnownEndpoint,
      timeoutMs,
    })) as { issuer?: unknown } | null;
    const issuer = typeof doc?.issuer === 'string' ? doc.issuer : '';
    if (issuer === '') return failed(check, 'Discovery: the document has no issuer');
    if (issuer !== def.issuer) {
      return failed(
        check,
        `Discovery: the provider's issuer is ${issuer.slice(0, 300)}, not the configured one`,
      );
    }
    return { check, status: 'OK', detail: 'The discovery document names the configured issuer' };
  });
}

async function jwks(def: KeyManagerDefinition, timeoutMs: number): Promise<ConnectionCheckStep> {
  const check = 'jwks';
  if (def.certificates.value === '') return skipped(check, 'No JWKS endpoint is configured');
  return step(check, async () => {
    const set = (await providerCall('JWKS', { method: 'GET', url: def.certificates.value, timeoutMs })) as {
      keys?: unknown;
    } | null;
    const keys = Array.isArray(set?.keys) ? set.keys.length : -1;
    if (keys < 0) return failed(check, 'JWKS: the document has no keys array');
    if (keys === 0) return failed(check, 'JWKS: the key set is empty');
    return { check, status: 'OK', detail: `JWKS: ${keys} key(s) published` };
  });
}

async function token(def: KeyManagerDefinition, timeoutMs: number): Promise<ConnectionCheckStep> {
  const check = 'token';
  const clientId = def.additionalProperties.client_id ?? '';
  const clientSecret = def.additionalProperties.client_secret ?? '';
  if (clientId === '' || clientSecret === '') {
    return skipped(check, 'No connector client_id and client_secret to request a token with');
  }
  if (def.tokenEndpoint === '') return skipped(check, 'No token endpoint is configured');
  return step(check, async () => {
    await clientCredentialsToken(def.tokenEndpoint, { clientId, clientSecret, scopes: [] }, timeoutMs);
    return { check, status: 'OK', detail: 'Token request: the provider issued a client-credentials token' };
  });
}

async function step(
  check: ConnectionCheckStep['check'],
  run: () => Promise<ConnectionCheckStep>,
): Promise<ConnectionCheckStep> {
  try {
    return await run();
  } catch (err) {
    // ProviderError messages name the host and the provider's error code, never what was sent.
    if (err instanceof ProviderError) {
      const detail =
        err.kind === 'invalid_client'
          ? 'Token request: the provider rejected the connector client_id/client_secret'
          : err.message;
      return failed(check, detail);
    }
    throw err;
  }
}

const skipped = (check: ConnectionCheckStep['check'], detail: string): ConnectionCheckStep => ({
  check,
  status: 'SKIPPED',
  detail,
});
const failed = (check: ConnectionCheckStep['check'], detail: string): ConnectionCheckStep => ({
  check,
  status: 'FAILED',
  detail,
});
