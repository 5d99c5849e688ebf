/**
 * REST error catalog for Portico's own REST APIs (Publisher, Developer Portal, Admin).
 *
 * Body shape follows WSO2's REST `Error` model: `{ code, message, description, moreInfo, error[] }`, plus
 * `errorCode`, a stable string a client can switch on. Call sites name a key; they never write a status inline.
 */
export interface RestErrorSpec {
  readonly status: number;
  /**
   * WSO2-style numeric code (stable), unique across the catalog. Generic faults mirror their status (900404
   * NOT_FOUND, 900409 CONFLICT); specific ones take the next free number of their family.
   */
  readonly code: number;
  readonly message: string;
}

export const restErrors = {
  BAD_REQUEST: { status: 400, code: 900400, message: 'Bad Request' },
  VALIDATION_FAILED: { status: 400, code: 900401, message: 'Bad Request' },
  INVALID_KEY_TYPE: { status: 400, code: 900402, message: 'Bad Request' },
  INVALID_RESTRICTION: { status: 400, code: 900403, message: 'Bad Request' },
  INVALID_API_KEY: { status: 400, code: 900407, message: 'Bad Request' },
  UNSUPPORTED_OPERATION: { status: 400, code: 900405, message: 'Bad Request' },
  INVALID_CONSUMER_SECRET: { status: 400, code: 900406, message: 'Bad Request' },
  CLIENT_SECRET_LIMIT_REACHED: { status: 400, code: 900419, message: 'Bad Request' },
  /** A deny policy (blocking condition) with an unknown type or a value of the wrong shape (bad IP, start > end). */
  INVALID_BLOCKING_CONDITION: { status: 400, code: 900970, message: 'Bad Request' },
  /** A bad filter of `GET /api/am/admin/v4/audit-events` (unknown action, time that does not parse, from > to). */
  INVALID_AUDIT_FILTER: { status: 400, code: 900940, message: 'Bad Request' },
  /** Trust store input that is not exactly one X.509 certificate (PEM or base64 DER), or carries a private key. */
  INVALID_CERTIFICATE: { status: 400, code: 900955, message: 'Bad Request' },
  /** A trust store alias that is empty, too long or not one line. */
  INVALID_CERTIFICATE_ALIAS: { status: 400, code: 900956, message: 'Bad Request' },
  /** A request field Portico does not support (or that the resource does not have), named in the description. */
  UNSUPPORTED_FIELD: { status: 400, code: 900408, message: 'Bad Request' },
  /** A multipart/form-data body that cannot be read: malformed, a field given twice, a field the operation does not take. */
  MULTIPART_INVALID: { status: 400, code: 900930, message: 'Bad Request' },
  /** An OpenAPI operation given no definition: none of `file`, `url`, `inlineAPIDefinition` (or given several). */
  DEFINITION_MISSING: { status: 400, code: 900931, message: 'Bad Request' },
  /** A definition that is not YAML/JSON, or not an OpenAPI 3 / Swagger 2 document. */
  INVALID_DEFINITION: { status: 400, code: 900932, message: 'Bad Request' },
  /** A definition `url` while `[apim.publisher] definition_url_access` is `off`. */
  DEFINITION_URL_DISABLED: { status: 400, code: 900933, message: 'Bad Request' },
  /** A definition `url` whose host is (or resolves to) an internal address while access is `public`, or not http(s). */
  DEFINITION_URL_FORBIDDEN: { status: 400, code: 900934, message: 'Bad Request' },
  /** A definition `url` that could not be read: unreachable, timed out, a redirect, a non-2xx answer. */
  DEFINITION_URL_FAILED: { status: 400, code: 900935, message: 'Bad Request' },
  UNAUTHENTICATED: { status: 401, code: 900900, message: 'Unauthenticated' },
  /** A leak report without a valid signature of a configured reporter key (docs/secret-scanning.md). */
  LEAK_REPORT_UNAUTHENTICATED: { status: 401, code: 900985, message: 'Unauthenticated' },
  FORBIDDEN: { status: 403, code: 900910, message: 'Forbidden' },
  INSUFFICIENT_SCOPE: { status: 403, code: 900911, message: 'Forbidden' },
  /** A subscription tier whose `permissions` (admin tier ALLOW/DENY roles) exclude the caller. */
  TIER_NOT_PERMITTED: { status: 403, code: 900912, message: 'Forbidden' },
  /** A password (Basic auth, sign-in) sent over plain HTTP from another machine; see `[server] allow_insecure_auth`. */
  INSECURE_TRANSPORT: { status: 403, code: 900920, message: 'Forbidden' },
  NOT_FOUND: { status: 404, code: 900404, message: 'Not Found' },
  /** The leak-report endpoint while `[apim.devportal.leak_report] enabled = false`. */
  LEAK_REPORTS_DISABLED: { status: 404, code: 900986, message: 'Not Found' },
  APPLICATION_NOT_FOUND: { status: 404, code: 900303, message: 'Not Found' },
  API_NOT_FOUND: { status: 404, code: 900310, message: 'Not Found' },
  KEY_MAPPING_NOT_FOUND: { status: 404, code: 900305, message: 'Not Found' },
  SUBSCRIPTION_NOT_FOUND: { status: 404, code: 900311, message: 'Not Found' },
  POLICY_NOT_FOUND: { status: 404, code: 900312, message: 'Not Found' },
  KEY_MANAGER_NOT_FOUND: { status: 404, code: 900313, message: 'Not Found' },
  USER_NOT_FOUND: { status: 404, code: 900314, message: 'Not Found' },
  API_KEY_NOT_FOUND: { status: 404, code: 900320, message: 'Not Found' },
  CLIENT_SECRET_NOT_FOUND: { status: 404, code: 900326, message: 'Not Found' },
  BLOCKING_CONDITION_NOT_FOUND: { status: 404, code: 900971, message: 'Not Found' },
  /** The same deny policy (type and value) exists already. */
  BLOCKING_CONDITION_EXISTS: { status: 409, code: 900972, message: 'Conflict' },
  /** No trust store certificate with that alias. */
  CERTIFICATE_NOT_FOUND: { status: 404, code: 900957, message: 'Not Found' },
  /** A trust store certificate with that alias exists already (aliases are case-insensitive). */
  CERTIFICATE_ALIAS_EXISTS: { status: 409, code: 900958, message: 'Conflict' },
  CONFLICT: { status: 409, code: 900409, message: 'Conflict' },
  APPLICATION_EXISTS: { status: 409, code: 900414, message: 'Conflict' },
  KEYS_ALREADY_GENERATED: { status: 409, code: 900410, message: 'Conflict' },
  SUBSCRIPTION_EXISTS: { status: 409, code: 900411, message: 'Conflict' },
  API_EXISTS: { status: 409, code: 900412, message: 'Conflict' },
  /** Regenerating a revoked, expired or already rotating API key. */
  API_KEY_NOT_ACTIVE: { status: 409, code: 900416, message: 'Conflict' },
  /** Associating an API-bound key that is associated with another application (dissociate it first). */
  API_KEY_ALREADY_ASSOCIATED: { status: 409, code: 900990, message: 'Conflict' },
  /** An API-bound key named under an application's `{keyType}` it was not generated for. */
  API_KEY_TYPE_MISMATCH: { status: 400, code: 900991, message: 'Bad Request' },
  /** API-bound keys for an API whose security schemes do not include `api_key`. */
  API_KEYS_NOT_ENABLED: { status: 400, code: 900992, message: 'Bad Request' },
  PAYLOAD_TOO_LARGE: { status: 413, code: 900413, message: 'Payload Too Large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, code: 900415, message: 'Unsupported Media Type' },
  TOO_MANY_ATTEMPTS: { status: 429, code: 900429, message: 'Too Many Requests' },
  BAD_GATEWAY: { status: 502, code: 900502, message: 'Bad Gateway' },
  INTERNAL: { status: 500, code: 900500, message: 'Internal Server Error' },
  /** The database cannot be reached right now; nothing was written. Retry after `Retry-After` seconds. */
  STORE_UNAVAILABLE: { status: 503, code: 900503, message: 'Service Unavailable' },
  // Lifecycle webhooks (docs/webhooks.md): 909500–909519.
  /** No webhook endpoint with this id. */
  WEBHOOK_NOT_FOUND: { status: 404, code: 909500, message: 'Not Found' },
  /** A webhook endpoint body that is not valid (shape, unknown field, unknown event type, bad URL). */
  INVALID_WEBHOOK: { status: 400, code: 909501, message: 'Bad Request' },
  /** A webhook URL that is not https (or http to loopback when allowed), or is on an internal address. */
  WEBHOOK_URL_FORBIDDEN: { status: 400, code: 909502, message: 'Bad Request' },
  /** A delivery-log filter that is not valid (unknown status or event type). */
  INVALID_WEBHOOK_FILTER: { status: 400, code: 909503, message: 'Bad Request' },
  /** A test event for a disabled endpoint. */
  WEBHOOK_DISABLED: { status: 409, code: 909504, message: 'Conflict' },
} as const satisfies Record<string, RestErrorSpec>;

export type RestErrorCode = keyof typeof restErrors;

/** An expected REST failure, thrown by services and rendered by the control plane's error handler. */
export class RestError extends Error {
  readonly errorCode: RestErrorCode;
  readonly status: number;
  readonly description: string;
  readonly details: readonly { code: string; message: string }[];
  /** Seconds for the `Retry-After` header of a 429 (default 1). */
  readonly retryAfterS: number | undefined;

  constructor(
    errorCode: RestErrorCode,
    description: string,
    details: readonly { code: string; message: string }[] = [],
    opts: { retryAfterS?: number } = {},
  ) {
    super(description);
    this.name = 'RestError';
    this.errorCode = errorCode;
    this.status = restErrors[errorCode].status;
    this.description = description;
    this.details = details;
    this.retryAfterS = opts.retryAfterS;
  }

  /** The WSO2-shaped JSON body. */
  toBody(): RestErrorBody {
    const spec = restErrors[this.errorCode];
    return {
      code: spec.code,
      message: spec.message,
      description: this.description,
      moreInfo: '',
      error: [...this.details],
      errorCode: this.errorCode,
    };
  }
}

export interface RestErrorBody {
  code: number;
  message: string;
  description: string;
  moreInfo: string;
  error: { code: string; message: string }[];
  errorCode: string;
}
