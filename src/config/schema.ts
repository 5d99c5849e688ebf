import Type from 'typebox';

/**
 * The schema of `<home>/conf/deployment.toml`: one entry per key, each with a description and a default.
 * Key names follow WSO2 API Manager's deployment.toml where WSO2 has one. `docs/configuration.md` is generated
 * from this file (`npm run docs:config`): change both in the same commit.
 */
const Str = (description: string, def: string) => Type.String({ description, default: def });
const Bool = (description: string, def: boolean) => Type.Boolean({ description, default: def });
const Int = (description: string, def: number, min?: number, max?: number) =>
  Type.Integer({
    description,
    default: def,
    ...(min !== undefined ? { minimum: min } : {}),
    ...(max !== undefined ? { maximum: max } : {}),
  });
const Enum = <T extends string>(description: string, values: readonly T[], def: T) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description, default: def },
  );
const Section = <P extends Type.TProperties>(description: string, props: P) =>
  Type.Object(props, { description, additionalProperties: false, default: {} });

/** A keystore or trust store entry (`[keystore.primary]`, `[truststore]`, `[custom_keystore.NAME]`). */
const keystoreProps = (file: string, alias: string, what: string) => ({
  file_name: Str(`File name of the ${what}, relative to <home>/resources/security (or absolute).`, file),
  type: Enum(`Format of the ${what}.`, ['PKCS12', 'JKS', 'PEM'] as const, 'PKCS12'),
  password: Str(
    `Password of the ${what}. Use $env{NAME} to read it from the environment. Empty = for the primary keystore and the trust store, the password in <home>/resources/security/primary-keystore-password or truststore-password (mode 0600), generated when Portico creates the store; a store an older Portico created with an empty password is re-encrypted under a generated one at start.`,
    '',
  ),
  alias: Str(`Alias of the key entry in the ${what}.`, alias),
  key_password: Str(`Password of the private key entry; empty = same as password.`, ''),
});

export const KeystoreSchema = Type.Object(keystoreProps('portico.p12', 'portico', 'keystore'), {
  additionalProperties: false,
});

export const ConfigSchema = Type.Object(
  {
    server: Section('The server process.', {
      hostname: Str('Host name used in URLs, token issuers and the self-signed certificate.', 'localhost'),
      bind_address: Str(
        'Address the listeners bind to. The default `::` is dual-stack: IPv6 and IPv4 (as `::ffff:a.b.c.d`, which Portico reads as `a.b.c.d`), or IPv4 alone on a host without IPv6.',
        '::',
      ),
      offset: Int(
        'Added to every port (control plane 9443/9763, gateway 8243/8280), like WSO2.',
        0,
        0,
        50000,
      ),
      enable_http: Bool('Also listen on plain HTTP (9763 control plane, 8280 gateway).', true),
      shutdown_timeout: Int('Seconds SIGTERM waits for in-flight requests before closing.', 10, 0, 600),
      allow_insecure_auth: Bool(
        'Accept passwords (HTTP Basic auth, the web UI sign-in, the OAuth2 password grant) on the plain-HTTP control-plane listener (9763) from other machines. Off: only loopback clients may send them over plain HTTP; others get 403 INSECURE_TRANSPORT and must use HTTPS. Bearer tokens are accepted over plain HTTP either way.',
        false,
      ),
      trusted_proxies: Type.Array(Type.String(), {
        description:
          'Addresses or CIDRs of reverse proxies in front of the control plane. A request from one of them is taken to come from the X-Forwarded-For client (sign-in throttling counts per client address) over the X-Forwarded-Proto scheme. Empty = the socket peer, which behind a proxy makes every client one address. The gateway has its own [apim.gateway] trusted_proxies.',
        default: [],
      }),
    }),
    super_admin: Section('The first administrator account.', {
      username: Str('User name of the super admin.', 'admin'),
      password: Str(
        'Password of the super admin. Empty = generate one on the first start, print it once and write it to <home>/initial-admin-password (mode 0600).',
        '',
      ),
      create_admin_account: Bool('Create the super admin account on start if it does not exist.', true),
    }),
    user_store: Section('Users and roles.', {
      custom_roles: Type.Array(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._@/-]{0,99}$' }), {
        description:
          'Role names of your own (e.g. "gold-partners") that users may hold besides the built-in admin, creator, publisher and subscriber. They grant no REST scope unless Admin /system-scopes gives them one (the WSO2 defaults do for Internal/devops, Internal/observer, Internal/integration_dev and Internal/analytics); tier permissions and API visibility roles name them. A role not listed here (nor built in) is refused when a user is created or given roles.',
        default: [],
      }),
    }),
    database: Section('Databases.', {
      apim_db: Section('The Portico store.', {
        type: Enum(
          'Store engine: embedded SQLite (all-in-one) or PostgreSQL (scaled out).',
          ['sqlite', 'postgres'] as const,
          'sqlite',
        ),
        url: Str(
          'SQLite: a file path (default <home>/database/portico.db). PostgreSQL: a connection URL such as postgres://user@127.0.0.1:5432/portico.',
          '',
        ),
        pool_size: Int('PostgreSQL connection pool size.', 10, 1, 200),
      }),
    }),
    keystore: Section('Key stores.', {
      primary: Type.Object(keystoreProps('portico.p12', 'portico', 'primary keystore'), {
        description:
          'The primary keystore: TLS and token signing key. Created on the first start when missing.',
        additionalProperties: false,
        default: {},
      }),
    }),
    truststore: Type.Object(
      keystoreProps('client-truststore.p12', 'gateway_certificate_alias', 'trust store'),
      {
        description:
          'The trust store: certificates the gateway trusts for API keys, by alias (the key header `kid`). Created on the first start.',
        additionalProperties: false,
        default: {},
      },
    ),
    custom_keystore: Type.Record(Type.String(), KeystoreSchema, {
      description: 'Named extra keystores, e.g. [custom_keystore.APIKeyKeyStore] to sign API keys.',
      default: {},
    }),
    apim: Section('API manager settings.', {
      devportal: Section('Developer Portal.', {
        api_key_alias: Str(
          'Alias of the API-key signing certificate: the `kid` of issued API keys.',
          'gateway_certificate_alias',
        ),
        api_key_keystore: Str(
          'Name of the [custom_keystore.NAME] whose key signs API keys; `KeyStore` = the primary keystore.',
          'KeyStore',
        ),
        enable_self_signup: Bool('Let visitors create subscriber accounts in the Developer Portal.', true),
        api_key_format: Enum(
          'Format of newly generated API keys: `jwt` (WSO2 3.x–4.6 signed keys) or `opaque` (`<prefix>_<random>_<crc32>`, stored only as an HMAC, WSO2 4.7 style). Keys of both formats always verify.',
          ['jwt', 'opaque'] as const,
          'jwt',
        ),
        api_key_prefix: Type.String({
          description:
            'Prefix of opaque API keys (1–16 letters or digits, starting with a letter), so secret scanners can tell them. Changing it leaves issued keys valid.',
          default: 'portico',
          pattern: '^[A-Za-z][A-Za-z0-9]{0,15}$',
        }),
        api_key_hash_secret: Str(
          'Secret (at least 32 characters) opaque API keys are stored and looked up under (HMAC-SHA-256); every control plane and gateway of a deployment needs the same one. Use $env{NAME}. Empty = <home>/resources/security/api-key-hash-secret (mode 0600), generated on the first start; copy that file to the other hosts of a scaled-out deployment, like the keystore.',
          '',
        ),
        leak_report: Section(
          'The leak-report endpoint `POST /api/portico/v1/leak-reports` (GitHub secret-scanning partner format, docs/secret-scanning.md).',
          {
            enabled: Bool('Serve the leak-report endpoint. Off: it answers 404 and reads nothing.', false),
            action: Enum(
              'What a reported Portico API key gets: `revoke` (revoked at once; gateways refuse it within a second) or `mark` (recorded as leaked and shown to its owner, still working).',
              ['revoke', 'mark'] as const,
              'revoke',
            ),
            public_keys: Type.Array(
              Type.Object(
                {
                  id: Type.String({
                    minLength: 1,
                    maxLength: 200,
                    description: 'The key identifier the reporter sends in Github-Public-Key-Identifier.',
                  }),
                  pem: Type.String({
                    minLength: 1,
                    description: 'The ECDSA P-256 public key, PEM (SPKI, `-----BEGIN PUBLIC KEY-----`).',
                  }),
                },
                { additionalProperties: false },
              ),
              {
                description:
                  'Public keys whose signatures (Github-Public-Key-Signature: ECDSA P-256 with SHA-256 over the raw body, DER, base64) are accepted, one `[[apim.devportal.leak_report.public_keys]]` table each with `id` and `pem`. GitHub publishes its keys at https://api.github.com/meta/public_keys/secret_scanning (`key_identifier`, `key`). Empty = every report is refused with 401.',
                default: [],
              },
            ),
            max_body_bytes: Int(
              'Largest leak report accepted, in bytes (larger: 413).',
              262_144,
              1024,
              1_048_576,
            ),
            feedback_token: Enum(
              'How the response names each reported token: `hash` (`token_hash`, SHA-256 hex, so the response never repeats a secret) or `raw` (`token_raw`, the token as reported).',
              ['hash', 'raw'] as const,
              'hash',
            ),
          },
        ),
      }),
      key_manager: Section('The resident key manager.', {
        enable_lightweight_apikey_generation: Bool(
          'Issue lightweight API keys (application id only, subscriptions checked at the gateway). false = full WSO2 claim set.',
          true,
        ),
      }),
      cache: Section('Caches.', {
        gateway_token: Section('Verified-token cache of the gateway.', {
          enable: Bool('Cache verified tokens and API keys by jti.', true),
          expiry_time: Type.Union(
            [Type.String({ pattern: '^[0-9]+(ms|s|m|h)?$' }), Type.Integer({ minimum: 0 })],
            {
              description: 'How long a verified token stays cached: seconds, or a string like "900s", "15m".',
              default: '900s',
            },
          ),
        }),
      }),
      gateway: Section('Gateway.', {
        trusted_proxies: Type.Array(Type.String(), {
          description:
            'CIDRs of reverse proxies in front of the gateway. When set, the client IP is the right-most X-Forwarded-For entry not in this list.',
          default: [],
        }),
        client_ip_header_mode: Enum(
          "How the client IP is taken from X-Forwarded-For when trusted_proxies is set: right-most untrusted entry, or WSO2's first entry.",
          ['rightmost-untrusted', 'xff-first'] as const,
          'rightmost-untrusted',
        ),
        workers: Int(
          'Gateway worker processes (node cluster), in all-in-one mode and for `portico gateway` (0 = serve from the main process). Workers share every quota: they lease permits from the main process.',
          0,
          0,
          64,
        ),
        expected_gateways: Int(
          'Gateway processes (hosts) of the deployment sharing quotas through Redis. Sizes the permit leases, and with Redis unreachable each gateway enforces limit / expected_gateways of every quota.',
          1,
          1,
          1024,
        ),
        control_plane_url: Str(
          'Scaled out (`portico gateway`): base URL of the control plane the gateway syncs its snapshot from. Used when control_plane_urls is empty.',
          'https://localhost:9443',
        ),
        control_plane_urls: Type.Array(Type.String({ pattern: '^https?://[^\\s]+$' }), {
          description:
            'Scaled out: base URLs of the control planes the gateway syncs from, in order of preference. The gateway sticks to the one that answers and fails over to the next on a connection failure, a timeout or a 5xx (logged). Empty = [control_plane_url].',
          default: [],
        }),
        sync_username: Str(
          'Scaled out: admin user the gateway authenticates to the control plane with.',
          'admin',
        ),
        sync_password: Str('Scaled out: password of sync_username; use $env{NAME}.', ''),
        sync_poll_interval: Int(
          'Scaled out: seconds between polls of the change log. Changes pushed through Redis arrive sooner; with Redis down or silent, polling is how they arrive (logged).',
          5,
          1,
          3600,
        ),
        heartbeat_interval: Int(
          'Scaled out: seconds between heartbeats to the control plane (gateway id, change version applied), shown in GET /api/am/admin/v4/gateways.',
          5,
          1,
          300,
        ),
      }),
      jwt: Section('Backend JWT passed to backends (X-JWT-Assertion).', {
        enable: Bool("Send a signed JWT with the caller's claims to the backend.", false),
        header: Str('Header carrying the backend JWT.', 'X-JWT-Assertion'),
        encoding: Enum('Encoding of the backend JWT segments.', ['base64', 'base64url'] as const, 'base64'),
        claim_dialect: Str('Prefix of the WSO2 claims.', 'http://wso2.org/claims'),
        signing_algorithm: Enum(
          'Signature of the backend JWT.',
          ['SHA256withRSA', 'NONE'] as const,
          'SHA256withRSA',
        ),
      }),
      cors: Section('Cross-origin (CORS) access to APIs on the gateway, for browser clients.', {
        enable: Bool('Answer CORS preflights and add CORS headers on the gateway.', true),
        allow_origins: Type.Array(Type.String(), {
          description: 'Allowed origins; "*" allows any.',
          default: ['*'],
        }),
        allow_methods: Type.Array(Type.String(), {
          description: 'Allowed methods.',
          default: ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'],
        }),
        allow_headers: Type.Array(Type.String(), {
          description: 'Allowed request headers.',
          default: [
            'authorization',
            'Access-Control-Allow-Origin',
            'Content-Type',
            'SOAPAction',
            'apikey',
            'Internal-Key',
          ],
        }),
        allow_credentials: Bool(
          "Allow credentials (cookies) on cross-origin requests from a listed origin (never with '*', which answers '*' without credentials). An API's own corsConfiguration, when enabled, replaces this section for that API.",
          false,
        ),
      }),
      oauth_config: Section('OAuth handling at the gateway.', {
        remove_outbound_auth_header: Bool(
          "Remove the client's Authorization header before calling the backend.",
          true,
        ),
      }),
      publisher: Section('Publisher REST API uploads (OpenAPI import, validation, definition updates).', {
        max_definition_size: Int(
          'Largest API definition Portico takes, in bytes: a multipart upload (all its parts together; a larger one is 413 PAYLOAD_TOO_LARGE), a JSON body of import-openapi or PUT /apis/{apiId}/swagger (other REST bodies stay limited to 1 MiB), and a definition fetched from a `url`.',
          10 * 1024 * 1024,
          1024,
          100 * 1024 * 1024,
        ),
        definition_url_access: Enum(
          'Whether the `url` form field of import-openapi, validate-openapi and PUT /apis/{apiId}/swagger may be fetched by the control plane: `off` (400 DEFINITION_URL_DISABLED: upload the file instead), `public` (only hosts whose every address is public; loopback, private, link-local, CGNAT and other reserved addresses are 400 DEFINITION_URL_FORBIDDEN), `all` (any host, internal ones included: only where every Publisher user may reach your internal network). Redirects are never followed. Off by default so that a Publisher account cannot make the control plane call internal services.',
          ['off', 'public', 'all'] as const,
          'off',
        ),
      }),
      sample: Section('The PizzaShack sample.', {
        deploy_on_first_start: Bool('Deploy and publish the PizzaShack sample API on the first start.', true),
      }),
    }),
    oauth: Section('OAuth2 authorization server (resident key manager).', {
      issuer: Str(
        'The `iss` of every token, the same for every control plane of the deployment. Empty: built at the first start as WSO2 builds it (`https://<hostname>:<https port>/oauth2/token`) and kept in the store, so control planes on other hosts or ports issue, introspect and revoke under it.',
        '',
      ),
      timestamp_skew: Int('Allowed clock skew in seconds when checking token expiry.', 300, 0, 3600),
      token_validation: Section('Token lifetimes (seconds). Negative = never expires.', {
        app_access_token_validity: Int('Lifetime of application (client_credentials) access tokens.', 3600),
        user_access_token_validity: Int('Lifetime of user (password grant) access tokens.', 3600),
        refresh_token_validity: Int('Lifetime of refresh tokens.', 86400),
      }),
      client_secrets: Section('Client secrets of application keys (WSO2 4.7 multiple consumer secrets).', {
        enable_multiple_secrets: Bool(
          'Let an application key hold several client secrets, each with a description and an optional expiry (Developer Portal generate-secret, secrets, revoke-secret). Off: one secret per key; regenerate-secret still works.',
          true,
        ),
        secret_count: Int(
          'Most ACTIVE client secrets one key may hold; generate-secret beyond it is refused (CLIENT_SECRET_LIMIT_REACHED). Secrets in their rotation grace or expired do not count.',
          5,
          1,
          100,
        ),
        max_expires_in: Int(
          'Longest expiresIn (seconds) generate-secret accepts; 0 = no limit.',
          0,
          0,
          2147483647,
        ),
        max_grace_period: Int(
          'Longest gracePeriod (seconds) regenerate-secret accepts, during which the replaced secrets keep working.',
          604800,
          0,
          31536000,
        ),
      }),
      grant_type: Section('Grant types; each can be switched off.', {
        client_credentials: Section('client_credentials grant.', { enable: Bool('Enable the grant.', true) }),
        password: Section('Resource owner password grant.', { enable: Bool('Enable the grant.', true) }),
        refresh_token: Section('refresh_token grant.', { enable: Bool('Enable the grant.', true) }),
      }),
    }),
    event_hub: Section('How control planes and gateways exchange events.', {
      type: Enum(
        'in-process (all-in-one) or redis (scaled out).',
        ['in-process', 'redis'] as const,
        'in-process',
      ),
      redis_url: Str('Redis URL for events and shared throttling counters.', 'redis://127.0.0.1:6379'),
      namespace: Str(
        'Prefix of every Redis channel and key of this deployment, so several deployments can share one Redis.',
        'portico',
      ),
      change_log_retention: Int(
        'Seconds a change stays in the change log gateways follow; a gateway further behind takes a full snapshot.',
        86400,
        60,
        31536000,
      ),
    }),
    metrics: Section(
      'Prometheus metrics: GET /metrics on the listeners of the control plane and of every gateway (docs/metrics.md).',
      {
        access: Enum(
          'Who may read /metrics: `off` (the path answers 404 and nothing is recorded), `loopback` (clients on 127.0.0.0/8 or ::1 only, others get 404: a Prometheus or agent on the same host), `token` (any client sending `Authorization: Bearer <token>`, others get 401). Default loopback: nothing is exposed beyond the host, and a local scrape needs no setup.',
          ['off', 'loopback', 'token'] as const,
          'loopback',
        ),
        token: Str(
          'Bearer token /metrics requires with access = "token" (required then; use $env{NAME}). Never logged.',
          '',
        ),
      },
    ),
    tracing: Section(
      "W3C Trace Context and OpenTelemetry traces at the gateway (docs/tracing.md). Off: the gateway creates no spans and passes the caller's traceparent through untouched.",
      {
        enabled: Bool(
          'Give every gateway request a server span (child of a valid incoming traceparent), send the upstream a traceparent naming it, and export spans over OTLP/HTTP.',
          false,
        ),
        otlp_endpoint: Str(
          'OTLP/HTTP traces endpoint (JSON), e.g. an OpenTelemetry Collector.',
          'http://127.0.0.1:4318/v1/traces',
        ),
        service_name: Str('`service.name` of the exported spans.', 'portico-gateway'),
        sample_ratio: Type.Number({
          description:
            "Share of new traces recorded (0–1); a caller's sampled flag in traceparent is followed either way.",
          default: 1,
          minimum: 0,
          maximum: 1,
        }),
      },
    ),
    audit: Section('The audit log of credential and access events (docs/audit-log.md).', {
      retention_days: Int(
        'Days an audit event is kept; older events are deleted once an hour. 0 = keep every event forever.',
        365,
        0,
        36500,
      ),
    }),
    analytics: Section(
      'Usage analytics: per-minute request aggregates and their charts (docs/usage-analytics.md).',
      {
        enabled: Bool(
          'Gateways count every answer to an API per minute, application, key and status class and flush the aggregates to the store.',
          true,
        ),
        retention_days: Int(
          'Days usage aggregates are kept; older minutes are deleted once an hour. 0 = keep them forever.',
          90,
          0,
          36500,
        ),
        flush_interval: Int("Seconds between a gateway's flushes of its usage aggregates.", 10, 1, 3600),
        buffer_size: Int(
          'Distinct per-minute aggregates a gateway process holds between flushes; requests needing more are dropped and counted (portico_gateway_usage_dropped_total).',
          20000,
          100,
          1000000,
        ),
      },
    ),
    webhooks: Section(
      'Lifecycle webhooks: signed HTTPS POSTs of credential events to endpoints an admin registers (docs/webhooks.md).',
      {
        enabled: Bool(
          'Deliver webhook events from this control plane and run the expiring-credentials check. Off: events are still queued (in the same transaction as the change) and wait for a control plane that delivers them.',
          true,
        ),
        expiring_days: Type.Array(Type.Integer({ minimum: 1, maximum: 3650 }), {
          description:
            'Days before expiry at which an apikey.expiring / client-secret.expiring event is sent; each (credential, threshold) once. A credential already inside several thresholds gets one event, for the smallest. Empty = no expiring events.',
          default: [7, 1],
          maxItems: 10,
        }),
        expiry_check_interval: Int(
          'Seconds between two checks for credentials crossing an expiring_days threshold.',
          3600,
          1,
          86400,
        ),
        max_attempts: Int(
          'Attempts of a delivery before it is marked failed (the first try included).',
          8,
          1,
          50,
        ),
        retry_base_delay_ms: Int(
          'Delay before the second attempt, in milliseconds; each later one waits twice as long as the one before (exponential backoff), up to retry_max_delay_ms.',
          10000,
          10,
          3600000,
        ),
        retry_max_delay_ms: Int('Longest wait between two attempts, in milliseconds.', 3600000, 10, 86400000),
        timeout_ms: Int(
          'Time an endpoint has to answer (connect, TLS and the whole response), in milliseconds; longer counts as a failed attempt.',
          10000,
          100,
          60000,
        ),
        poll_interval_ms: Int(
          'How often a control plane looks for due deliveries, in milliseconds (a change on this control plane wakes it at once; this bounds the delay of events from other control planes and of retries).',
          1000,
          50,
          60000,
        ),
        allow_http_loopback: Bool(
          'Accept http:// endpoint URLs whose host is a loopback address (127.0.0.0/8, ::1, localhost), for local tests. Other http:// URLs are always refused.',
          false,
        ),
        allow_internal_addresses: Bool(
          'Deliver to endpoints on internal addresses (loopback, private, link-local, CGNAT, ...). Off: an endpoint host that is or resolves to one is refused, checked on the address actually dialled (the stance of [apim.publisher] definition_url_access = "public").',
          false,
        ),
        ca_file: Str(
          'PEM file of extra CA certificates endpoint certificates may chain to (besides the system CAs), relative to <home>/resources/security or absolute. Empty = system CAs only.',
          '',
        ),
      },
    ),
    log: Section('Logging.', {
      level: Enum(
        'Log level.',
        ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
        'info',
      ),
    }),
  },
  { additionalProperties: false },
);

export type Config = Type.Static<typeof ConfigSchema>;
export type KeystoreConfig = Type.Static<typeof KeystoreSchema>;
