import pg from 'pg';

/** What one scale step seeds: `keys` API-key records, `keys / 10` applications, `keys / 5` subscriptions. */
export interface ScaleSize {
  keys: number;
  applications: number;
  subscriptions: number;
  /** Revoked API keys (10 % of the keys; half of them never expire, so they stay in the revocation set). */
  revoked: number;
}

export function scaleSize(keys: number): ScaleSize {
  return { keys, applications: keys / 10, subscriptions: keys / 5, revoked: keys / 10 };
}

/** Synthetic APIs every application subscribes to two of. */
export const SCALE_APIS = 10;

/**
 * Seeds a migrated, empty Portico database with `size` rows in a few set-based statements (generate_series), so
 * 1M API-key records take seconds. Everything the gateway serves is consistent: deployed APIs, applications with
 * key mappings, subscriptions, revocations. Returns the seeding time in ms.
 */
export async function seedScale(url: string, size: ScaleSize, upstream: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const started = Date.now();
  try {
    const now = Date.now();
    await c.query('BEGIN');
    for (let i = 0; i < SCALE_APIS; i++) {
      const id = `scale-api-${i}`;
      const def = JSON.stringify({
        id,
        name: `ScaleApi${i}`,
        context: `/scale${i}`,
        version: '1.0.0',
        provider: 'admin',
        securityScheme: ['oauth2', 'api_key'],
        policies: ['Unlimited', 'Gold'],
        endpointConfig: { endpoint_type: 'http', production_endpoints: { url: upstream } },
        operations: [
          {
            target: '/*',
            verb: 'GET',
            authType: 'Application & Application User',
            throttlingPolicy: 'Unlimited',
            scopes: [],
          },
        ],
      });
      await c.query(
        `INSERT INTO apis (id, name, context, version, provider, lifecycle, definition, created_at, updated_at)
         VALUES ($1, $2, $3, '1.0.0', 'admin', 'PUBLISHED', $4, $5, $5)`,
        [id, `ScaleApi${i}`, `/scale${i}`, def, now],
      );
      await c.query(
        `INSERT INTO api_revisions (id, api_id, revision, description, definition, created_at) VALUES ($1, $2, 1, '', $3, $4)`,
        [`${id}-r1`, id, def, now],
      );
      await c.query(
        `INSERT INTO api_deployments (api_id, revision_id, environment, vhost, deployed_at) VALUES ($1, $2, 'Default', 'localhost', $3)`,
        [id, `${id}-r1`, now],
      );
    }
    await c.query(
      `INSERT INTO applications (uuid, name, owner, throttling_policy, description, token_type, status, group_id, attributes, created_at, updated_at)
       SELECT 'scale-app-' || g, 'ScaleApp' || g, 'scale-user-' || (g % 1000), 'Unlimited', '', 'JWT', 'APPROVED', '', '{}', $2, $2
       FROM generate_series(1, $1) g`,
      [size.applications, now],
    );
    await c.query(
      `INSERT INTO key_mappings (uuid, application_id, key_type, key_manager, consumer_key, mode, key_state, grant_types, created_at, updated_at)
       SELECT 'scale-km-' || a.id, a.id, 'PRODUCTION', 'Resident Key Manager', 'scale-ck-' || a.id, 'CREATED', 'APPROVED', '["client_credentials"]', $1, $1
       FROM applications a WHERE a.uuid LIKE 'scale-app-%'`,
      [now],
    );
    // Two subscriptions per application, on neighbouring APIs.
    await c.query(
      `INSERT INTO subscriptions (uuid, application_id, api_id, policy, requested_policy, status, created_at, updated_at)
       SELECT 'scale-sub-' || a.id || '-' || k, a.id, 'scale-api-' || ((a.id + k) % ${SCALE_APIS}), 'Gold', 'Gold', 'UNBLOCKED', $1, $1
       FROM applications a CROSS JOIN generate_series(0, 1) k WHERE a.uuid LIKE 'scale-app-%'`,
      [now],
    );
    await c.query(
      `INSERT INTO api_keys (jti, application_id, key_type, name, kid, issued_at, expires_at, status, revoked_at, issued_by)
       SELECT 'scale-key-' || g, (SELECT min(id) FROM applications) + (g % $2), 'PRODUCTION', 'k' || g, 'gateway_certificate_alias',
              $3::bigint, CASE WHEN g % 2 = 0 THEN NULL ELSE $3::bigint + 86400000 END,
              CASE WHEN g % 10 = 0 THEN 'REVOKED' ELSE 'ACTIVE' END, CASE WHEN g % 10 = 0 THEN $3::bigint ELSE NULL END, 'scale'
       FROM generate_series(1, $1) g`,
      [size.keys, size.applications, now],
    );
    await c.query(
      `INSERT INTO revoked_tokens (jti, token_type, expires_at, revoked_at, consumer_key)
       SELECT jti, 'API_KEY', expires_at, revoked_at, NULL FROM api_keys WHERE status = 'REVOKED' AND jti LIKE 'scale-key-%'`,
    );
    await c.query('COMMIT');
    await c.query('ANALYZE');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await c.end();
  }
  return Date.now() - started;
}
