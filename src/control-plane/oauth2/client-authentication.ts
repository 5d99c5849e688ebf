import type { FastifyRequest } from 'fastify';
import { OAuthError, type OAuthClient, type ResidentKeyManager } from '../../key-manager/index.js';

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

/** Client credentials from `Authorization: Basic` (client_secret_basic) or the form (client_secret_post). */
export function clientCredentialsOf(
  request: FastifyRequest,
  form: FormBody,
): { clientId: string; secret: string } | null {
  const header = request.headers.authorization;
  const posted = form.client_id !== undefined || form.client_secret !== undefined;
  if (header && /^basic /i.test(header)) {
    if (posted) throw new OAuthError('invalid_request', 'Use one client authentication method only');
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 'Malformed Basic client credentials');
    return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  }
  if (form.client_id !== undefined && form.client_secret !== undefined) {
    return { clientId: form.client_id, secret: form.client_secret };
  }
  return null;
}

/**
 * Authenticates the calling client. @throws OAuthError invalid_client (401) when credentials are missing or wrong.
 */
export async function authenticateClient(
  km: ResidentKeyManager,
  request: FastifyRequest,
  form: FormBody,
): Promise<OAuthClient> {
  const creds = clientCredentialsOf(request, form);
  if (!creds) throw new OAuthError('invalid_client', 'Client authentication is required');
  const client = await km.authenticateClient(creds.clientId, creds.secret);
  if (!client) throw new OAuthError('invalid_client', 'Client authentication failed');
  return client;
}

// RFC 6749 §2.3.1: client_secret_basic values are form-urlencoded before Base64.
function formDecode(v: string): string {
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return v;
  }
}
