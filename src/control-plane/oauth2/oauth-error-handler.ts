import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { RestError } from '../../core/index.js';
import { OAuthError } from '../../key-manager/index.js';

/**
 * Route error handler of the OAuth2 endpoints: RFC 6749 `{error, error_description}` bodies instead of the REST
 * error shape. invalid_client is 401 with `WWW-Authenticate: Basic`; unknown errors are 500 server_error, logged.
 * A request refused by the input guard keeps its status (400, 413, 415) as `invalid_request` with its description.
 */
export function oauthErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  let e: OAuthError;
  let status: number | null = null;
  if (error instanceof OAuthError) e = error;
  else if (error instanceof RestError && error.status < 500) {
    e = new OAuthError('invalid_request', error.description);
    status = error.status;
  } else {
    const code = (error as FastifyError).statusCode;
    if (code !== undefined && code >= 400 && code < 500) {
      e = new OAuthError(
        'invalid_request',
        code === 413 ? 'The request body is too large' : 'The request body could not be read',
      );
      if (code === 413 || code === 415) status = code;
    } else {
      request.log.error({ err: error }, 'oauth2 endpoint failed');
      e = new OAuthError('server_error', `Internal error; reference ${request.id}`);
    }
  }
  if (e.error === 'invalid_client') reply.header('www-authenticate', 'Basic realm="Portico"');
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  return reply.status(status ?? e.status).send(e.toBody());
}
