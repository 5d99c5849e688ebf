import { lookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { Agent, request } from 'undici';
import { RestError } from '../../core/index.js';

/** `[apim.publisher] definition_url_access`. */
export type DefinitionUrlAccess = 'off' | 'public' | 'all';

/** Timeout of the whole fetch of a definition URL. */
const FETCH_TIMEOUT_MS = 10_000;

export interface DefinitionFetch {
  access: DefinitionUrlAccess;
  /** Bytes the answer may hold (`[apim.publisher] max_definition_size`). */
  maxBytes: number;
}

/**
 * The text behind a definition `url` form field, as the access policy allows: `off` refuses, `public` connects
 * only to public unicast addresses (checked on the address actually dialled, so a DNS answer that changes between
 * check and connect cannot reach an internal host), `all` connects anywhere. Redirects are not followed.
 * Faults: 400 DEFINITION_URL_DISABLED, DEFINITION_URL_FORBIDDEN (not http(s), an internal address),
 * DEFINITION_URL_FAILED (unreachable, timeout, non-2xx); 413 PAYLOAD_TOO_LARGE.
 * @example const text = await fetchDefinition('https://petstore3.swagger.io/api/v3/openapi.json', { access: 'public', maxBytes });
 */
export async function fetchDefinition(url: string, opts: DefinitionFetch): Promise<string> {
  if (opts.access === 'off')
    throw new RestError(
      'DEFINITION_URL_DISABLED',
      'Importing a definition from a url is disabled ([apim.publisher] definition_url_access = "off"); upload it as file instead',
    );
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new RestError('DEFINITION_URL_FORBIDDEN', 'url must be an absolute http(s) URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new RestError('DEFINITION_URL_FORBIDDEN', 'url must be an absolute http(s) URL');
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  if (opts.access === 'public' && ipaddr.isValid(host) && !isPublicAddress(host)) throw forbidden(host);

  const agent = new Agent({
    connect: opts.access === 'public' ? { lookup: publicOnlyLookup } : {},
    headersTimeout: FETCH_TIMEOUT_MS,
    bodyTimeout: FETCH_TIMEOUT_MS,
  });
  try {
    const res = await request(target, {
      dispatcher: agent,
      method: 'GET',
      headers: { accept: 'application/json, application/yaml, text/yaml, */*' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    }).catch((err: unknown) => {
      if (findCause(err) instanceof InternalAddressError) throw forbidden(target.hostname);
      const reason = (err as Error).name === 'TimeoutError' ? 'timed out' : 'is unreachable';
      throw new RestError('DEFINITION_URL_FAILED', `url: ${target.host} ${reason}`);
    });
    if (res.statusCode < 200 || res.statusCode >= 300) {
      await res.body.dump().catch(() => undefined);
      const redirect = res.statusCode >= 300 && res.statusCode < 400 ? '; redirects are not followed' : '';
      throw new RestError(
        'DEFINITION_URL_FAILED',
        `url: ${target.host} answered ${res.statusCode}${redirect}`,
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > opts.maxBytes) {
          res.body.destroy();
          throw new RestError(
            'PAYLOAD_TOO_LARGE',
            `The definition at url is larger than ${opts.maxBytes} bytes`,
          );
        }
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      if (err instanceof RestError) throw err;
      throw new RestError('DEFINITION_URL_FAILED', `url: reading the answer of ${target.host} failed`);
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    void agent.close().catch(() => undefined);
  }
}

/** True for a public unicast address: not loopback, private, link-local, CGNAT, multicast or reserved. */
export function isPublicAddress(address: string): boolean {
  try {
    return ipaddr.process(address).range() === 'unicast';
  } catch {
    return false;
  }
}

class InternalAddressError extends Error {}

/** dns.lookup that fails when any address of the name is not public, so no internal address is ever dialled. */
function publicOnlyLookup(
  hostname: string,
  options: object,
  callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
): void {
  const all = (options as { all?: boolean }).all === true;
  lookup(hostname, { ...(options as LookupAllOptions), all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address)))
      return callback(new InternalAddressError(hostname), '');
    const first = addresses[0] as LookupAddress;
    if (all) callback(null, addresses);
    else callback(null, first.address, first.family);
  });
}

function findCause(err: unknown): unknown {
  let e = err;
  for (let i = 0; i < 5 && e instanceof Error; i++) {
    if (e instanceof InternalAddressError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return e;
}

function forbidden(host: string): RestError {
  return new RestError(
    'DEFINITION_URL_FORBIDDEN',
    `url: ${host} is an internal address; only public hosts may be fetched ([apim.publisher] definition_url_access = "public")`,
  );
}
