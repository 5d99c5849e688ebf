import type { Config } from './schema.js';

/**
 * The control planes a standalone gateway syncs from: `[apim.gateway] control_plane_urls`, else the single
 * `control_plane_url` as a one-element list (configurations written before the list existed keep working).
 * @example gatewayControlPlaneUrls(config) // ['https://cp1:9443', 'https://cp2:9443']
 */
export function gatewayControlPlaneUrls(config: Readonly<Config>): string[] {
  const g = config.apim.gateway;
  return g.control_plane_urls.length > 0 ? [...g.control_plane_urls] : [g.control_plane_url];
}
