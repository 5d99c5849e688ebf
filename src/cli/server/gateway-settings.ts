import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseDuration, type Config } from '../../config/index.js';
import { defaultGatewaySettings, type Gateway, type GatewaySettings } from '../../gateway/index.js';
import type { ServerKeys } from '../keys.js';
import { listen, type Listener, type TlsMaterial } from './listeners.js';

/** WSO2's default ports, each shifted by `[server] offset`. */
export const PORTS = {
  controlPlaneHttps: 9443,
  controlPlaneHttp: 9763,
  gatewayHttps: 8243,
  gatewayHttp: 8280,
} as const;

/** Maps deployment.toml to gateway settings. */
export function gatewaySettingsFrom(config: Readonly<Config>, keys: ServerKeys): GatewaySettings {
  const d = defaultGatewaySettings();
  const cacheTtl = parseDuration(config.apim.cache.gateway_token.expiry_time);
  return {
    ...d,
    clockSkewSeconds: config.oauth.timestamp_skew,
    tokenCache: { ...d.tokenCache, enabled: config.apim.cache.gateway_token.enable, ttlMs: cacheTtl },
    clientIp: {
      trustedProxies: [...config.apim.gateway.trusted_proxies],
      mode: config.apim.gateway.client_ip_header_mode,
    },
    removeOutboundAuthHeader: config.apim.oauth_config.remove_outbound_auth_header,
    backendJwt: {
      ...d.backendJwt,
      enabled: config.apim.jwt.enable,
      header: config.apim.jwt.header,
      encoding: config.apim.jwt.encoding,
      claimDialect: config.apim.jwt.claim_dialect,
      signingAlgorithm: config.apim.jwt.signing_algorithm,
      ttlSeconds: Math.max(1, Math.floor(cacheTtl / 1000)),
    },
    backendJwtKey: { privateKey: keys.primary.privateKey, certificate: keys.primary.certificate },
    serverHeader: 'Portico',
    cors: {
      enabled: config.apim.cors.enable,
      allowOrigins: [...config.apim.cors.allow_origins],
      allowMethods: [...config.apim.cors.allow_methods],
      allowHeaders: [...config.apim.cors.allow_headers],
      allowCredentials: config.apim.cors.allow_credentials,
    },
    metrics: { access: config.metrics.access, token: config.metrics.token },
    ...(config.tracing.enabled
      ? {
          tracing: {
            otlpEndpoint: config.tracing.otlp_endpoint,
            serviceName: config.tracing.service_name,
            sampleRatio: config.tracing.sample_ratio,
          },
        }
      : {}),
  };
}

/** The gateway's HTTPS (8243) and HTTP (8280) listeners, shifted by the offset. */
export function gatewayListeners(
  gateway: Gateway,
  config: Readonly<Config>,
  tls: TlsMaterial,
): Promise<Listener[]> {
  const handler = (req: IncomingMessage, res: ServerResponse) => gateway.handle(req, res);
  return listenPair(handler, config, tls, { https: PORTS.gatewayHttps, http: PORTS.gatewayHttp });
}

/**
 * An HTTPS listener and, with `[server] enable_http`, a plain-HTTP one for `handler`, on `[server] bind_address`
 * and the given ports shifted by the offset. If the second cannot listen, the first is closed again.
 */
export async function listenPair(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  config: Readonly<Config>,
  tls: TlsMaterial,
  ports: { https: number; http: number },
): Promise<Listener[]> {
  const host = config.server.hostname;
  const bind = config.server.bind_address;
  const off = config.server.offset;
  const out = [await listen(handler, { host: bind, port: ports.https + off, tls, publicHost: host })];
  try {
    if (config.server.enable_http)
      out.push(await listen(handler, { host: bind, port: ports.http + off, publicHost: host }));
  } catch (err) {
    await Promise.all(out.map((l) => l.close(0)));
    throw err;
  }
  return out;
}
