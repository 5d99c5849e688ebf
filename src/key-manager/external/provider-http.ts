/**
 * Why a call to an external key manager failed. `unreachable`: network error or timeout; `invalid_client`: the
 * provider rejected the client credentials; `rejected`: any other 4xx; `failed`: 5xx or an unreadable answer;
 * `unsupported`: the connector cannot do this operation (Keycloak secret regeneration).
 */
export type ProviderErrorKind = 'unreachable' | 'invalid_client' | 'rejected' | 'failed' | 'unsupported';

/** A failed control-plane call to an external provider. The message never holds a secret or a token. */
export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** Timeout of one control-plane call to a provider. */
export const PROVIDER_TIMEOUT_MS = 10_000;

export interface ProviderRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * One HTTP call to a provider (global fetch; control plane only, never on the gateway path). Resolves with the
 * JSON body (null when empty). @throws ProviderError on network errors, timeouts and non-2xx answers; the error
 * names the provider's `error`/`errorCode` and `error_description`/`errorSummary` but nothing it was sent.
 */
export async function providerCall(what: string, req: ProviderRequest): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let body: string | undefined;
  if (req.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.json);
  } else if (req.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(req.form).toString();
  }
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers,
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(req.timeoutMs ?? PROVIDER_TIMEOUT_MS),
    });
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? 'timed out' : 'is unreachable';
    throw new ProviderError('unreachable', `${what}: ${hostOf(req.url)} ${reason}`);
  }
  const text = await res.text().catch(() => '');
  let parsed: unknown = null;
  if (text !== '') {
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      if (res.ok)
        throw new ProviderError('failed', `${what}: the provider answered with non-JSON`, res.status);
    }
  }
  if (res.ok) return parsed;
  const reason = describe(parsed);
  const kind = providerErrorKind(res.status, parsed);
  throw new ProviderError(
    kind,
    `${what}: the provider answered ${res.status}${reason ? ` (${reason})` : ''}`,
    res.status,
  );
}

/** `Authorization: Basic` for OAuth client authentication (RFC 6749 §2.3.1: form-encode both parts first). */
export function basicAuth(clientId: string, clientSecret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64')}`;
}

function providerErrorKind(status: number, body: unknown): ProviderErrorKind {
  const code = (body as { error?: unknown } | null)?.error;
  if (code === 'invalid_client') return 'invalid_client';
  return status >= 500 ? 'failed' : 'rejected';
}

function describe(body: unknown): string {
  if (body === null || typeof body !== 'object') return '';
  const b = body as Record<string, unknown>;
  const code = typeof b.error === 'string' ? b.error : typeof b.errorCode === 'string' ? b.errorCode : '';
  const text =
    typeof b.error_description === 'string'
      ? b.error_description
      : typeof b.errorSummary === 'string'
        ? b.errorSummary
        : '';
  // Provider texts are bounded: they end up in REST error descriptions.
  return [code, text]
    .filter((s) => s !== '')
    .join(': ')
    .slice(0, 300);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the provider';
  }
}
