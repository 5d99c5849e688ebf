import type { ServerResponse } from 'node:http';
import { faultBody, type GatewayFault } from '../../core/index.js';

/**
 * Writes a gateway fault in WSO2 4.x form: flat JSON body, `application/json; charset=UTF-8`, the fault's own
 * headers, and for 401s the `WWW-Authenticate` challenge of the API (`challenge`, null outside an API).
 */
export function renderFault(
  res: ServerResponse,
  fault: GatewayFault,
  challenge: string | null,
  serverHeader: string | undefined,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = faultBody(fault);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(body),
  };
  if (fault.headers !== undefined) Object.assign(headers, fault.headers);
  if (fault.status === 401 && challenge !== null) headers['www-authenticate'] = challenge;
  if (serverHeader !== undefined) headers.server = serverHeader;
  res.writeHead(fault.status, headers);
  res.end(body);
}
