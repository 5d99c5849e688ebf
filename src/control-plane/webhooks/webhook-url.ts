import { lookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { RestError } from '../../core/index.js';
import { isPublicAddress } from '../publisher/definition-url.js';

/** Where webhooks may be delivered (`[webhooks] allow_http_loopback`, `allow_internal_addresses`). */
export interface WebhookUrlPolicy {
  readonly allowHttpLoopback: boolean;
  readonly allowInternalAddresses: boolean;
}

const MAX_URL = 2048;

/**
 * Checks an endpoint URL and returns it normalised: absolute `https:` (or `http:` to a loopback host when
 * `allowHttpLoopback`), no user info, no fragment; a literal internal address only when allowed (loopback also
 * with `allowHttpLoopback`). Names are checked again on the address actually dialled ({@link webhookLookup}).
 * @throws RestError INVALID_WEBHOOK (not a URL), WEBHOOK_URL_FORBIDDEN (scheme, credentials, internal address)
 */
export function checkWebhookUrl(url: string, policy: WebhookUrlPolicy): string {
  let u: URL;
  try {
    if (url.length > MAX_URL) throw new Error('too long');
    u = new URL(url);
  } catch {
    throw new RestError(
      'INVALID_WEBHOOK',
      `url must be an absolute https URL of at most ${MAX_URL} characters`,
    );
  }
  if (u.username !== '' || u.password !== '')
    throw new RestError('WEBHOOK_URL_FORBIDDEN', 'url must not carry credentials (user:password@)');
  if (u.hash !== '') throw new RestError('WEBHOOK_URL_FORBIDDEN', 'url must not have a #fragment');
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const loopback = isLoopbackHost(host);
  if (u.protocol === 'http:') {
    if (!(policy.allowHttpLoopback && loopback))
      throw new RestError(
        'WEBHOOK_URL_FORBIDDEN',
        'url must be https (http only to a loopback host with [webhooks] allow_http_loopback = true)',
      );
  } else if (u.protocol !== 'https:') {
    throw new RestError('WEBHOOK_URL_FORBIDDEN', 'url must be an https URL');
  }
  if (!policy.allowInternalAddresses && !(policy.allowHttpLoopback && loopback)) {
    if (
      (ipaddr.isValid(host) && !isPublicAddress(host)) ||
      host === 'localhost' ||
      host.endsWith('.localhost')
    )
      throw internal(host);
  }
  return u.toString();
}

/** Refused while connecting: the name resolved to an address the policy does not allow. */
export class InternalAddressError extends Error {
  constructor(host: string) {
    super(`${host} resolves to an internal address`);
  }
}

/**
 * A `dns.lookup` for the delivery agent that fails when any address of the name is not allowed by `policy`, so
 * a DNS answer that changes between the URL check and the connection cannot reach an internal host.
 */
export function webhookLookup(policy: WebhookUrlPolicy) {
  const allowed = (a: string) =>
    policy.allowInternalAddresses || isPublicAddress(a) || (policy.allowHttpLoopback && isLoopbackHost(a));
  return (
    hostname: string,
    options: object,
    callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    const all = (options as { all?: boolean }).all === true;
    lookup(hostname, { ...(options as LookupAllOptions), all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      if (addresses.length === 0 || addresses.some((a) => !allowed(a.address)))
        return callback(new InternalAddressError(hostname), '');
      const first = addresses[0] as LookupAddress;
      if (all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  try {
    return ipaddr.process(host).range() === 'loopback';
  } catch {
    return false;
  }
}

const internal = (host: string) =>
  new RestError(
    'WEBHOOK_URL_FORBIDDEN',
    `url: ${host} is an internal address; only public hosts are allowed ([webhooks] allow_internal_addresses = false)`,
  );
