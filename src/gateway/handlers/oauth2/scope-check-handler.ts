import { gatewayFaults, type SnapshotResource } from '../../../core/index.js';
import type { Handler } from '../../pipeline/handler.js';

/**
 * Resource scope check (wso2-compat.md §5.5): an OAuth2 principal must hold at least one of the resource's scopes
 * (OR), else 900910 naming the resource template. API keys and anonymous callers are not scope-checked (WSO2).
 * Returns null when the resource has no scopes.
 */
export function scopeCheckHandler(resource: SnapshotResource): Handler | null {
  if (resource.scopes.length === 0) return null;
  const required = resource.scopes;
  const fault = gatewayFaults.scopeMismatch(resource.target);
  return (ctx) => {
    const p = ctx.principal;
    if (p.kind !== 'oauth2') return undefined;
    for (const s of required) if (p.scopes.includes(s)) return undefined;
    return fault;
  };
}
