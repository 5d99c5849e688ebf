/** RFC 6749 §5.2 / RFC 7009 / RFC 7662 error codes the resident key manager produces. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type'
  | 'server_error';

/**
 * An expected OAuth2 failure. The HTTP layer renders it as `{error, error_description}` with `status`
 * (401 plus `WWW-Authenticate: Basic` for invalid_client, 400 otherwise). The description never contains a credential.
 */
export class OAuthError extends Error {
  readonly error: OAuthErrorCode;
  readonly status: number;
  readonly description: string;

  constructor(error: OAuthErrorCode, description: string) {
    super(description);
    this.name = 'OAuthError';
    this.error = error;
    this.description = description;
    this.status = error === 'invalid_client' ? 401 : error === 'server_error' ? 500 : 400;
  }

  /** The RFC 6749 JSON body. */
  toBody(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}
