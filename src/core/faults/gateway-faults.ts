/**
 * Gateway fault catalog: WSO2 API Manager 4.x codes, messages and HTTP statuses (wso2-compat.md §4).
 *
 * Wire contract: clients match on these strings. Change `docs/gateway-faults.md` and
 * `test/conformance` in the same commit as this file.
 */
export interface GatewayFault {
  /** WSO2 error code, always a string on the wire (`"900901"`). */
  readonly code: string;
  readonly status: number;
  readonly message: string;
  readonly description: string;
  /** Extra top-level body fields (throttling adds `nextAccessTime`). */
  readonly extra?: Readonly<Record<string, string>>;
  /** Extra response headers (`Retry-After`, `WWW-Authenticate`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Why a credential was refused, for the metrics only (never in the body): see {@link CredentialFailure}. */
  readonly reason?: CredentialFailure;
  /** The throttling policy that refused the request, for the metrics only (never in the body). */
  readonly policy?: string;
}

/**
 * Why a 900901 refused a credential (`portico_gateway_auth_failures_total{reason}`): `malformed` (does not parse,
 * wrong header or claims, two credentials), `unknown_key` (no such key, issuer, `kid`, certificate or key mapping),
 * `bad_signature`, `expired` (outside its validity, or a rotation grace that ended), `revoked`.
 */
export type CredentialFailure = 'malformed' | 'unknown_key' | 'bad_signature' | 'expired' | 'revoked';

const INVALID_CREDENTIALS_SUFFIX = '. Make sure you have provided the correct security credentials';

/** The faults the gateway can answer with, keyed by a stable catalog name. */
export const gatewayFaults = {
  /**
   * 900900: an internal error of the gateway (HTTP 500), logged once with its request id. WSO2 also answers it for
   * unparseable credentials and unsupported algorithms; Portico answers those 401 900901 (a client's bad input is
   * not a server error: it would page operators and hide attacks).
   */
  unclassified: (detail = 'Unclassified Authentication Failure'): GatewayFault => ({
    code: '900900',
    status: 500,
    message: 'Unclassified Authentication Failure',
    description: detail,
  }),
  /** 900901: the credential is present but invalid (bad signature, expired, revoked, unknown key). */
  invalidCredentials: (what = 'Invalid Credentials', reason?: CredentialFailure): GatewayFault => ({
    code: '900901',
    status: 401,
    message: 'Invalid Credentials',
    description: `${what}${INVALID_CREDENTIALS_SUFFIX}`,
    ...(reason === undefined ? {} : { reason }),
  }),
  /** One 900901 per {@link CredentialFailure}: the same body on the wire, told apart only in the metrics. */
  invalidCredentialsByReason: (
    what = 'Invalid Credentials',
  ): Readonly<Record<CredentialFailure, GatewayFault>> =>
    Object.freeze({
      malformed: gatewayFaults.invalidCredentials(what, 'malformed'),
      unknown_key: gatewayFaults.invalidCredentials(what, 'unknown_key'),
      bad_signature: gatewayFaults.invalidCredentials(what, 'bad_signature'),
      expired: gatewayFaults.invalidCredentials(what, 'expired'),
      revoked: gatewayFaults.invalidCredentials(what, 'revoked'),
    }),
  /** 900902: no credential found by any authenticator of the API. */
  missingCredentials: (authHeader = 'Authorization', apiKeyHeader = 'apikey'): GatewayFault => ({
    code: '900902',
    status: 401,
    message: 'Missing Credentials',
    description:
      `Invalid Credentials. Make sure your API invocation call has a header: '${authHeader} : Bearer ACCESS_TOKEN'` +
      ` or '${authHeader} : Basic ACCESS_TOKEN' or '${apiKeyHeader} : API_KEY'`,
  }),
  /**
   * 900902 for an API key sent to an API that does not accept API keys: WSO2 answers the generic "Missing
   * Credentials" text, which sends the caller looking for a header they did send; Portico's description says why.
   */
  apiKeyNotAccepted: (authHeader = 'Authorization'): GatewayFault => ({
    code: '900902',
    status: 401,
    message: 'Missing Credentials',
    description:
      `This API does not accept API keys. Make sure your API invocation call has a header: ` +
      `'${authHeader} : Bearer ACCESS_TOKEN'`,
  }),
  /** 900902 for a bearer token sent to an API secured with API keys alone (the counterpart of the above). */
  bearerNotAccepted: (apiKeyHeader: string): GatewayFault => ({
    code: '900902',
    status: 401,
    message: 'Missing Credentials',
    description:
      `This API does not accept OAuth2 access tokens. Make sure your API invocation call has a header: ` +
      `'${apiKeyHeader} : API_KEY'`,
  }),
  /** 900906: no resource of the API matches the method and path. */
  noMatchingResource: (): GatewayFault => ({
    code: '900906',
    status: 403,
    message: 'No matching resource found in the API for the given request',
    description:
      'Access failure for API: No matching resource found in the API for the given request. ' +
      'Check the API documentation and add a proper REST resource path to the invocation URL',
  }),
  /** 900907: the subscription is BLOCKED (or PROD_ONLY_BLOCKED for a production key). */
  apiBlocked: (): GatewayFault => ({
    code: '900907',
    status: 401,
    message: 'The requested API is temporarily blocked',
    description: 'The requested API is temporarily blocked',
  }),
  /** 900908: not subscribed, or an API-key restriction failed. Note the trailing space WSO2 sends. */
  forbidden: (
    description = 'User is NOT authorized to access the Resource. API Subscription validation failed.',
  ): GatewayFault => ({ code: '900908', status: 403, message: 'Resource forbidden ', description }),
  /** 900908 with the description WSO2 uses for IP / referrer restriction failures. */
  restrictionFailed: (): GatewayFault => gatewayFaults.forbidden('Access forbidden for the invocations'),
  /** 900909: subscription ON_HOLD or REJECTED. */
  subscriptionInactive: (): GatewayFault => ({
    code: '900909',
    status: 401,
    message: 'The subscription to the API is inactive',
    description: 'The subscription to the API is inactive',
  }),
  /** 900910: the token carries none of the resource's scopes. */
  scopeMismatch: (resourcePath: string): GatewayFault => ({
    code: '900910',
    status: 403,
    message: 'The access token does not allow you to access the requested resource',
    description: `User is NOT authorized to access the Resource: ${resourcePath}. Scope validation failed.`,
  }),
  /**
   * 9008xx: throttled out. `level` picks the code: api 900800, resource 900802, application 900803, subscription
   * 900804, burst (subscription spike arrest) 900807, applicationBurst 900809 — WSO2 4.x `ThrottleHandler.handleThrottleOut`,
   * whose application burst description alone differs ("You have exceeded your application burst limit quota").
   */
  throttled: (level: ThrottleLevel, retryAfterMs: number, now: number, policy?: string): GatewayFault => {
    const next = formatNextAccessTime(now + retryAfterMs);
    const quota = level === 'applicationBurst' ? 'application burst limit quota' : 'quota';
    return {
      code: THROTTLE_CODES[level],
      status: 429,
      message: 'Message throttled out',
      description: `You have exceeded your ${quota} .You can access API after ${next}`,
      extra: { nextAccessTime: next },
      headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
      policy,
    };
  },
  /**
   * 900801: the API's backend throttling (`maxTps`, WSO2's hard limit) is used up for the key type's endpoint;
   * HTTP 503 as WSO2 answers it ("we tell it as service not being available"), with a `Retry-After`.
   */
  apiLimitReached: (retryAfterMs: number, policy: string): GatewayFault => ({
    code: '900801',
    status: 503,
    message: 'API Limit Reached',
    description: 'API not accepting requests',
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
    policy,
  }),
  /** 700700: the API's lifecycle state is BLOCKED. */
  /** 900805: an Admin deny policy (blocking condition) matches the API, application, user or client IP. */
  messageBlocked: (): GatewayFault => ({
    code: '900805',
    status: 403,
    message: 'Message blocked',
    description: 'You have been blocked from accessing the resource',
  }),
  apiLifecycleBlocked: (): GatewayFault => ({
    code: '700700',
    status: 503,
    message: 'API blocked',
    description:
      'This API has been blocked temporarily. Please try again later or contact the system administrators.',
  }),
  /** 101503: the backend refused the connection. */
  backendUnreachable: (): GatewayFault => ({
    code: '101503',
    status: 503,
    message: 'Error connecting to the back end',
    description: 'Error connecting to the back end',
  }),
  /** 101504: the backend did not answer in time. */
  backendTimeout: (): GatewayFault => ({
    code: '101504',
    status: 504,
    message: 'Connection timed out',
    description: 'Connection timed out',
  }),
  /** 101500-style failure talking to the backend for any other reason. */
  backendError: (): GatewayFault => ({
    code: '101500',
    status: 502,
    message: 'Error in Sending the message out',
    description: 'Error in Sending the message out',
  }),
  /** 404 for a path that matches no deployed API (WSO2 answers with its own 404 page; we answer JSON). */
  noApi: (): GatewayFault => ({
    code: '404',
    status: 404,
    message: 'Not Found',
    description: 'The requested resource is not available.',
  }),
} as const;

export type ThrottleLevel =
  'api' | 'resource' | 'application' | 'subscription' | 'burst' | 'applicationBurst';

const THROTTLE_CODES: Record<ThrottleLevel, string> = {
  api: '900800',
  resource: '900802',
  application: '900803',
  subscription: '900804',
  burst: '900807',
  applicationBurst: '900809',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** WSO2's `yyyy-MMM-dd HH:mm:ss+0000 UTC` timestamp of the next allowed call. */
export function formatNextAccessTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${d.getUTCFullYear()}-${MONTHS[d.getUTCMonth()]}-${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}+0000 UTC`
  );
}

/** Serialises a fault to WSO2's flat JSON body (`code` as a string). */
export function faultBody(fault: GatewayFault): string {
  return JSON.stringify({
    code: fault.code,
    message: fault.message,
    description: fault.description,
    ...fault.extra,
  });
}
