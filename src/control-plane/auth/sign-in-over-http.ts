import type { FastifyRequest } from 'fastify';
import { RestError } from '../../core/index.js';
import { OAuthError } from '../../key-manager/index.js';
import type { SignInOrigin } from '../users/sign-in-origin.js';
import type { SignInResult, User, UserService } from '../users/user-service.js';

/**
 * Where a request comes from, for sign-in: `request.ip` and `request.protocol` (the socket, or the forwarded
 * values when the peer is one of `[server] trusted_proxies`).
 */
export function signInOriginOf(
  request: FastifyRequest,
  channel: NonNullable<SignInOrigin['channel']> = 'other',
): SignInOrigin {
  return { ip: request.ip, tls: request.protocol === 'https', channel };
}

/**
 * The REST error for a refused sign-in.
 * Faults: TOO_MANY_ATTEMPTS (429, with Retry-After), INSECURE_TRANSPORT (403), UNAUTHENTICATED (401).
 */
export function signInRefusal(result: Exclude<SignInResult, { ok: true }>): RestError {
  if (result.reason === 'throttled') {
    const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
    return new RestError('TOO_MANY_ATTEMPTS', `Too many failed sign-ins; retry in ${seconds} s`, [], {
      retryAfterS: seconds,
    });
  }
  if (result.reason === 'insecure-transport') {
    return new RestError(
      'INSECURE_TRANSPORT',
      'Passwords are not accepted over plain HTTP from another machine; use the HTTPS endpoint',
    );
  }
  return new RestError('UNAUTHENTICATED', 'Invalid user name or password');
}

/**
 * The OAuth2 error for a sign-in the password grant (or an admin introspection) could not even check: throttled
 * → `invalid_grant` (RFC 6749 has no 429; WSO2 also answers a locked account with invalid_grant), a password over
 * plain HTTP from another machine → `invalid_request`.
 */
export function signInOAuthError(
  result: Extract<SignInResult, { reason: 'throttled' | 'insecure-transport' }>,
): OAuthError {
  return result.reason === 'throttled'
    ? new OAuthError(
        'invalid_grant',
        `Too many failed sign-ins; retry in ${Math.max(1, Math.ceil(result.retryAfterMs / 1000))} s`,
      )
    : new OAuthError(
        'invalid_request',
        'Passwords are not accepted over plain HTTP from another machine; use the HTTPS endpoint',
      );
}

/**
 * Signs a user in from an HTTP request (Basic auth, the web UI login), passing the request's origin.
 * @throws RestError TOO_MANY_ATTEMPTS, INSECURE_TRANSPORT or UNAUTHENTICATED (see {@link signInRefusal}).
 */
export async function signInOverHttp(
  users: UserService,
  request: FastifyRequest,
  username: string,
  password: string,
  channel: 'basic' | 'session',
): Promise<User> {
  const result = await users.signIn(username, password, signInOriginOf(request, channel));
  if (!result.ok) throw signInRefusal(result);
  return result.user;
}
