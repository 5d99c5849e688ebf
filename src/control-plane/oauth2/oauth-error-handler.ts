import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../../key-manager/index.js';

/**
 * Route error handler of the OAuth2 endpoints: RFC 6749 `{error, error_description}` bodies instead of the REST
 * error shape. invalid_client is 401 with `WWW-Authenticate: Basic`; unknown errors are 500 server_error, logged.
 */
export function oauthErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  let e: OAuthError;
  if (error instanceof OAuthError) e = error;
  else {
    const status = (error as FastifyError).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      e = new OAuthError('invalid_request', 'The request body could not be read');
    } else {
      request.log.error({ err: error }, 'oauth2 endpoint failed');
      e = new OAuthError('server_error', `Internal error; reference ${request.id}`);
    }
  }
  if (e.error === 'invalid_client') reply.header('www-authenticate', 'Basic realm="Portico"');
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  return reply.status(e.status).send(e.toBody());
}
