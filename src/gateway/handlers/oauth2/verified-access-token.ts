/** What a verified OAuth2 access token contributes (a JWT, cached by raw token; or an opaque token). */
export interface VerifiedAccessToken {
  readonly jti: string;
  readonly subject: string;
  readonly keyManager: string;
  readonly consumerKey: string;
  readonly scopes: readonly string[];
  readonly claims: Readonly<Record<string, unknown>>;
}
