import { Agent, request } from 'undici';
import type { Clock } from '../../core/index.js';
import { InternalAddressError, webhookLookup, type WebhookUrlPolicy } from './webhook-url.js';

/** What one POST to an endpoint gave. */
export interface SendResult {
  readonly ok: boolean;
  /** Null when no answer came. */
  readonly statusCode: number | null;
  /** Why it failed, for the delivery log (never a header or secret); null on success. */
  readonly error: string | null;
  /** The first {@link EXCERPT_CHARS} characters of the answer. */
  readonly excerpt: string | null;
  readonly durationMs: number;
}

/** Characters of a response body kept in the delivery log; the rest is discarded unread. */
export const EXCERPT_CHARS = 256;

/** POSTs webhook bodies: bounded time, no redirects, only allowed addresses dialled. */
export interface WebhookSender {
  send(url: string, headers: Record<string, string>, body: string): Promise<SendResult>;
  close(): Promise<void>;
}

/**
 * @param opts.ca extra CA certificates (PEM) endpoint certificates may chain to, besides the system ones.
 * @example const sender = createWebhookSender({ policy, timeoutMs: 10_000, clock });
 */
export function createWebhookSender(opts: {
  policy: WebhookUrlPolicy;
  timeoutMs: number;
  clock: Clock;
  ca?: readonly string[];
}): WebhookSender {
  const tls = opts.ca && opts.ca.length > 0 ? { ca: [...opts.ca] } : {};
  const agent = new Agent({
    connect: { lookup: webhookLookup(opts.policy), timeout: opts.timeoutMs, ...tls },
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    keepAliveTimeout: 4_000,
  });
  return {
    async send(url, headers, body) {
      // Durations are measured on the real clock: an injected fake clock would make them meaningless.
      const started = performance.now();
      const took = () => Math.round(performance.now() - started);
      try {
        const res = await request(url, {
          dispatcher: agent,
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
        const excerpt = await readExcerpt(res.body);
        const code = res.statusCode;
        const ok = code >= 200 && code < 300;
        const error = ok
          ? null
          : code >= 300 && code < 400
            ? `answered ${code}; redirects are not followed`
            : `answered ${code}`;
        return { ok, statusCode: code, error, excerpt, durationMs: took() };
      } catch (err) {
        return { ok: false, statusCode: null, error: reasonOf(err), excerpt: null, durationMs: took() };
      }
    },
    close: () => agent.close(),
  };
}

async function readExcerpt(body: AsyncIterable<unknown> & { destroy(): unknown }): Promise<string | null> {
  let text = '';
  try {
    for await (const chunk of body) {
      text += Buffer.from(chunk as Buffer).toString('utf8');
      if (text.length >= EXCERPT_CHARS) break;
    }
  } catch {
    // A body cut short still leaves what was read.
  } finally {
    body.destroy();
  }
  return text === '' ? null : text.slice(0, EXCERPT_CHARS);
}

/** A short, stable reason: the error code or name, never the request (which carries the signature). */
function reasonOf(err: unknown): string {
  for (let e = err, i = 0; i < 5 && e instanceof Error; i++) {
    if (e instanceof InternalAddressError) return 'refused: the host resolves to an internal address';
    const code = (e as { code?: unknown }).code;
    if (e.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
      return 'timed out';
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connect timed out';
    if (typeof code === 'string' && !code.startsWith('UND_ERR')) return `failed: ${code}`;
    e = (e as { cause?: unknown }).cause;
  }
  return 'failed: the endpoint could not be reached';
}
