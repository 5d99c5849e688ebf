import type { FastifyRequest } from 'fastify';
import { OAuthError, type OAuthClient, type ResidentKeyManager } from '../../key-manager/index.js';
import { decodeBasicCredentials } from '../auth/basic-credentials.js';
import { signInOriginOf } from '../auth/sign-in-over-http.js';
import { cleartextPasswordRefused } from '../users/sign-in-origin.js';

/** A form-urlencoded body as parsed by the control plane (a repeated name is refused by the input guard). */
export type FormBody = Record<string, string | undefined>;

/**
 * The form body of an OAuth2 endpoint. @throws OAuthError invalid_request when the body is not form-urlencoded.
 */
export function formOf(request: FastifyRequest): FormBody {
  const type = request.headers['content-type'] ?? '';
  if (
    !type.toLowerCase().startsWith('application/x-www-form-urlencoded') ||
    typeof request.body !== 'object'
  ) {
    throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded');
  }
  return (request.body ?? {}) as FormBody;
}

/**
 * Client credentials from `Authorization: Basic` (client_secret_basic, decoded strictly: one spelling per
 * credential) or the form (client_secret_post). A secret is a password: over plain HTTP from another machine it is
 * refused unless `[server] allow_insecure_auth` (`allowCleartext`).
 * @throws OAuthError invalid_request (two methods, cleartext), invalid_client (malformed Basic)
 */
export function clientCredentialsOf(
  request: FastifyRequest,
  form: FormBody,
  allowCleartext: boolean,
): { clientId: string; secret: string } | null {
  const header = request.headers.authorization;
  const posted = form.client_id !== undefined || form.client_secret !== undefined;
  let creds: { clientId: string; secret: string } | null = null;
  if (header && /^basic /i.test(header)) {
    if (posted) throw new OAuthError('invalid_request', 'Use one client authentication method only');
    const basic = decodeBasicCredentials(header.slice(6));
    if (!basic) throw new OAuthError('invalid_client', 'Malformed Basic client credentials');
    creds = { clientId: formDecode(basic.username), secret: formDecode(basic.password) };
  } else if (form.client_id !== undefined && form.client_secret !== undefined) {
    creds = { clientId: form.client_id, secret: form.client_secret };
  }
  if (creds && cleartextPasswordRefused(signInOriginOf(request), allowCleartext)) {
    throw new OAuthError(
      'invalid_request',
      'Client secrets are only accepted over HTTPS (or from this machine)',
    );
  }
  return creds;
}

/**
 * Authenticates the calling client. @throws OAuthError invalid_client (401) when credentials are missing or wrong.
 */
export async function authenticateClient(
  km: ResidentKeyManager,
  request: FastifyRequest,
  form: FormBody,
  allowCleartext: boolean,
): Promise<OAuthClient> {
  const creds = clientCredentialsOf(request, form, allowCleartext);
  if (!creds) throw new OAuthError('invalid_client', 'Client authentication is required');
  const client = await km.authenticateClient(creds.clientId, creds.secret);
  if (!client) throw new OAuthError('invalid_client', 'Client authentication failed');
  return client;
}

// RFC 6749 §2.3.1: client_secret_basic values are form-urlencoded before Base64.
function formDecode(v: string): string {
  if (!v.includes('%') && !v.includes('+')) return v;
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return v;
  }
}
