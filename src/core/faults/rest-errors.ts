/**
 * REST error catalog for Portico's own REST APIs (Publisher, Developer Portal, Admin).
 *
 * Body shape follows WSO2's REST `Error` model: `{ code, message, description, moreInfo, error[] }`, plus
 * `errorCode`, a stable string a client can switch on. Call sites name a key; they never write a status inline.
 *
 * Wire contract: the numbers are WSO2's `ExceptionCodes` (carbon-apimgt) where WSO2 has an entry for the same
 * condition and status, else Portico's own. Change `docs/wso2-compatibility.md` ("REST error codes") and
 * `rest-errors.test.ts` in the same commit.
 */
export interface RestErrorSpec {
  readonly status: number;
  /**
   * Numeric code (stable), unique across the catalog. With `wso2`, the number of that WSO2 `ExceptionCodes`
   * entry (same condition, same status). Without it, a Portico-only number that no WSO2 `ExceptionCodes` entry
   * uses: kept from before when free, else 909xxx (909000–909499; 909500–909609 for Portico's feature families
   * written). Checked against `test/fixtures/wso2/exception-codes.json` by `rest-errors.test.ts`.
   */
  readonly code: number;
  readonly message: string;
  /** The WSO2 `ExceptionCodes` entry whose number `code` is (`API_NOT_FOUND`); absent for Portico-only conditions. */
  readonly wso2?: string;
}

export const restErrors = {
  BAD_REQUEST: { status: 400, code: 909000, message: 'Bad Request' },
  VALIDATION_FAILED: { status: 400, code: 909001, message: 'Bad Request' },
  INVALID_KEY_TYPE: { status: 400, code: 909002, message: 'Bad Request' },
  INVALID_RESTRICTION: { status: 400, code: 909003, message: 'Bad Request' },
  INVALID_API_KEY: { status: 400, code: 909004, message: 'Bad Request' },
  UNSUPPORTED_OPERATION: { status: 400, code: 909005, message: 'Bad Request' },
  INVALID_CONSUMER_SECRET: { status: 400, code: 909006, message: 'Bad Request' },
  CLIENT_SECRET_LIMIT_REACHED: { status: 400, code: 900419, message: 'Bad Request' },
  /** A deny policy (blocking condition) with an unknown type or a value of the wrong shape (bad IP, start > end). */
  INVALID_BLOCKING_CONDITION: {
    status: 400,
    code: 900975,
    message: 'Bad Request',
    wso2: 'UNSUPPORTED_THROTTLE_CONDITION_TYPE',
  },
  /** A bad filter of `GET /api/am/admin/v4/audit-events` (unknown action, time that does not parse, from > to). */
  INVALID_AUDIT_FILTER: { status: 400, code: 900940, message: 'Bad Request' },
  /** Trust store input that is not exactly one X.509 certificate (PEM or base64 DER), or carries a private key. */
  INVALID_CERTIFICATE: { status: 400, code: 900955, message: 'Bad Request' },
  /** A trust store alias that is empty, too long or not one line. */
  INVALID_CERTIFICATE_ALIAS: { status: 400, code: 900956, message: 'Bad Request' },
  /** A request field Portico does not support (or that the resource does not have), named in the description. */
  UNSUPPORTED_FIELD: { status: 400, code: 909007, message: 'Bad Request' },
  /** A multipart/form-data body that cannot be read: malformed, a field given twice, a field the operation does not take. */
  MULTIPART_INVALID: { status: 400, code: 900930, message: 'Bad Request' },
  /** An OpenAPI operation given no definition: none of `file`, `url`, `inlineAPIDefinition` (or given several). */
  DEFINITION_MISSING: { status: 400, code: 900931, message: 'Bad Request' },
  /** A definition that is not YAML/JSON, or not an OpenAPI 3 / Swagger 2 document. */
  INVALID_DEFINITION: { status: 400, code: 900754, message: 'Bad Request', wso2: 'OPENAPI_PARSE_EXCEPTION' },
  /** A definition `url` while `[apim.publisher] definition_url_access` is `off`. */
  DEFINITION_URL_DISABLED: { status: 400, code: 900933, message: 'Bad Request' },
  /** A definition `url` whose host is (or resolves to) an internal address while access is `public`, or not http(s). */
  DEFINITION_URL_FORBIDDEN: { status: 400, code: 900934, message: 'Bad Request' },
  /** A definition `url` that could not be read: unreachable, timed out, a redirect, a non-2xx answer. */
  DEFINITION_URL_FAILED: { status: 400, code: 900756, message: 'Bad Request', wso2: 'OPENAPI_URL_MALFORMED' },
  UNAUTHENTICATED: { status: 401, code: 900905, message: 'Unauthenticated', wso2: 'USER_NOT_AUTHENTICATED' },
  /** A leak report without a valid signature of a configured reporter key (docs/secret-scanning.md). */
  LEAK_REPORT_UNAUTHENTICATED: { status: 401, code: 909100, message: 'Unauthenticated' },
  /** `accessControlRoles` naming a role that does not exist, or none the saving publisher holds (WSO2 4.x). */
  INVALID_USER_ROLES: { status: 400, code: 900610, message: 'Bad Request', wso2: 'INVALID_USER_ROLES' },
  FORBIDDEN: { status: 403, code: 900900, message: 'Forbidden', wso2: 'AUTH_GENERAL_ERROR' },
  INSUFFICIENT_SCOPE: { status: 403, code: 900910, message: 'Forbidden', wso2: 'INVALID_SCOPE' },
  /** A subscription tier whose `permissions` (admin tier ALLOW/DENY roles) exclude the caller. */
  TIER_NOT_PERMITTED: {
    status: 403,
    code: 902002,
    message: 'Forbidden',
    wso2: 'SUBSCRIPTION_TIER_NOT_ALLOWED',
  },
  /** A Publisher operation on an API whose `accessControl` is RESTRICTED to roles the caller holds none of. */
  API_ACCESS_RESTRICTED: {
    status: 403,
    code: 903222,
    message: 'Forbidden',
    wso2: 'UN_AUTHORIZED_TO_VIEW_MODIFY_API',
  },
  /** A password (Basic auth, sign-in) sent over plain HTTP from another machine; see `[server] allow_insecure_auth`. */
  INSECURE_TRANSPORT: { status: 403, code: 909101, message: 'Forbidden' },
  NOT_FOUND: { status: 404, code: 900401, message: 'Not Found', wso2: 'RESOURCE_NOT_FOUND' },
  /** The leak-report endpoint while `[apim.devportal.leak_report] enabled = false`. */
  LEAK_REPORTS_DISABLED: { status: 404, code: 909200, message: 'Not Found' },
  APPLICATION_NOT_FOUND: { status: 404, code: 900307, message: 'Not Found', wso2: 'APPLICATION_NOT_FOUND' },
  API_NOT_FOUND: { status: 404, code: 900308, message: 'Not Found', wso2: 'API_NOT_FOUND' },
  KEY_MAPPING_NOT_FOUND: {
    status: 404,
    code: 900331,
    message: 'Not Found',
    wso2: 'APPLICATION_KEY_MAPPING_NOT_FOUND',
  },
  SUBSCRIPTION_NOT_FOUND: { status: 404, code: 900310, message: 'Not Found', wso2: 'SUBSCRIPTION_NOT_FOUND' },
  POLICY_NOT_FOUND: { status: 404, code: 903005, message: 'Not Found', wso2: 'THROTTLING_POLICY_NOT_FOUND' },
  KEY_MANAGER_NOT_FOUND: { status: 404, code: 901411, message: 'Not Found', wso2: 'KEY_MANAGER_NOT_FOUND' },
  /** An API's `keyManagers` names a key manager that does not exist (WSO2 "Key Manager(s) Not found :a , b"). */
  KEY_MANAGER_NOT_REGISTERED: {
    status: 400,
    code: 901403,
    message: 'Bad Request',
    wso2: 'KEY_MANAGER_NOT_REGISTERED',
  },
  USER_NOT_FOUND: { status: 404, code: 901502, message: 'Not Found', wso2: 'USER_NOT_FOUND' },
  API_KEY_NOT_FOUND: { status: 404, code: 909201, message: 'Not Found' },
  CLIENT_SECRET_NOT_FOUND: { status: 404, code: 909202, message: 'Not Found' },
  BLOCKING_CONDITION_NOT_FOUND: { status: 404, code: 909203, message: 'Not Found' },
  /** The same deny policy (type and value) exists already. */
  BLOCKING_CONDITION_EXISTS: {
    status: 409,
    code: 900979,
    message: 'Conflict',
    wso2: 'BLOCK_CONDITION_ALREADY_EXISTS',
  },
  /** No trust store certificate with that alias. */
  CERTIFICATE_NOT_FOUND: { status: 404, code: 909204, message: 'Not Found' },
  /** A trust store certificate with that alias exists already (aliases are case-insensitive). */
  CERTIFICATE_ALIAS_EXISTS: { status: 409, code: 900958, message: 'Conflict' },
  CONFLICT: { status: 409, code: 909300, message: 'Conflict' },
  APPLICATION_EXISTS: { status: 409, code: 900301, message: 'Conflict', wso2: 'APPLICATION_ALREADY_EXISTS' },
  KEYS_ALREADY_GENERATED: {
    status: 409,
    code: 901409,
    message: 'Conflict',
    wso2: 'KEY_MAPPING_ALREADY_EXIST',
  },
  SUBSCRIPTION_EXISTS: {
    status: 409,
    code: 900336,
    message: 'Conflict',
    wso2: 'SUBSCRIPTION_ALREADY_EXISTS',
  },
  API_EXISTS: { status: 409, code: 900300, message: 'Conflict', wso2: 'API_ALREADY_EXISTS' },
  /** Regenerating a revoked, expired or already rotating API key. */
  API_KEY_NOT_ACTIVE: { status: 409, code: 900416, message: 'Conflict' },
  /** Associating an API-bound key that is associated with another application (dissociate it first). */
  API_KEY_ALREADY_ASSOCIATED: { status: 409, code: 909301, message: 'Conflict' },
  /** An API-bound key named under an application's `{keyType}` it was not generated for. */
  API_KEY_TYPE_MISMATCH: { status: 400, code: 909008, message: 'Bad Request' },
  /** API-bound keys for an API whose security schemes do not include `api_key`. */
  API_KEYS_NOT_ENABLED: { status: 400, code: 909009, message: 'Bad Request' },
  PAYLOAD_TOO_LARGE: { status: 413, code: 900413, message: 'Payload Too Large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, code: 900415, message: 'Unsupported Media Type' },
  TOO_MANY_ATTEMPTS: { status: 429, code: 900429, message: 'Too Many Requests' },
  BAD_GATEWAY: { status: 502, code: 909400, message: 'Bad Gateway' },
  INTERNAL: { status: 500, code: 900967, message: 'Internal Server Error', wso2: 'INTERNAL_ERROR' },
  /** The database cannot be reached right now; nothing was written. Retry after `Retry-After` seconds. */
  STORE_UNAVAILABLE: { status: 503, code: 909401, message: 'Service Unavailable' },
  // Import/export in apictl's project layout (issue 13): archives and the documents inside them.
  /** The upload is not a readable zip archive (not a zip, truncated, encrypted, unknown compression). */
  ARCHIVE_INVALID: { status: 400, code: 909540, message: 'Bad Request' },
  /** The archive expands past the limits (entries, bytes of one entry, bytes in all); checked while inflating. */
  ARCHIVE_TOO_LARGE: { status: 413, code: 909541, message: 'Payload Too Large' },
  /** An entry name that could escape the project folder: `..`, absolute, a backslash, a drive letter. */
  ARCHIVE_UNSAFE_PATH: { status: 400, code: 909542, message: 'Bad Request' },
  /** Two entries of the archive have the same name. */
  ARCHIVE_DUPLICATE_ENTRY: { status: 400, code: 909543, message: 'Bad Request' },
  /** The archive is not an apictl project of the expected type (missing or wrong api.yaml, application file). */
  PROJECT_INVALID: { status: 400, code: 909544, message: 'Bad Request' },
  // Usage analytics (issue 14)
  /** A usage query's `from`/`to`/`granularity` do not parse, or `from` is not before `to`. */
  INVALID_USAGE_QUERY: { status: 400, code: 909520, message: 'Bad Request' },
  /** A usage query longer than its granularity allows (minute: 1 day, hour: 31 days, day: 366 days). */
  USAGE_RANGE_TOO_LARGE: { status: 400, code: 909521, message: 'Bad Request' },
  // Scopes (issue 13): shared scopes, system scopes and role aliases. WSO2's numbers where it has the condition, else 909560–909579.
  /** A shared scope, system-scope table or role-alias body that is not valid (bad name, roles, duplicates). */
  INVALID_SCOPE: { status: 400, code: 909560, message: 'Bad Request' },
  /** No shared scope with that id (or, for HEAD, that name). */
  SCOPE_NOT_FOUND: { status: 404, code: 900981, message: 'Not Found', wso2: 'SHARED_SCOPE_NOT_FOUND' },
  /** A shared scope (or an API's local scope) with that name exists already. */
  SCOPE_EXISTS: { status: 409, code: 900984, message: 'Conflict', wso2: 'SCOPE_ALREADY_REGISTERED' },
  /** Deleting a shared scope that APIs still use (WSO2: remove it from them first). */
  SCOPE_IN_USE: { status: 409, code: 909563, message: 'Conflict' },
  /** An API naming a shared scope (`shared: true`) that does not exist. */
  SHARED_SCOPE_NOT_FOUND: { status: 400, code: 909564, message: 'Bad Request' },
  /** `GET /system-scopes/{scopeName}`: the scope is not a system scope, or the user does not hold it. */
  SYSTEM_SCOPE_NOT_FOUND: {
    status: 404,
    code: 901500,
    message: 'Not Found',
    wso2: 'SCOPE_NOT_FOUND_FOR_USER',
  },
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
