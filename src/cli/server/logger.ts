import pino, { type Logger } from 'pino';

/** Strips credentials from a URL before it is logged (`?apikey=...`, `access_token`). */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:apikey|access_token|token|client_secret)=)[^&]*/gi, '$1[REDACTED]');
}

/**
 * Structured JSON logs on stderr (stdout carries the human "ready" line). Credentials are redacted: headers that
 * carry them, and query parameters that may carry keys.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: 'portico' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers.apikey',
          'req.headers["x-jwt-assertion"]',
          'headers.authorization',
          'password',
          '*.password',
          'client_secret',
          '*.client_secret',
        ],
        censor: '[REDACTED]',
      },
      serializers: {
        req: (req: { method?: string; url?: string; id?: string; ip?: string }) => ({
          method: req.method,
          url: req.url ? redactUrl(req.url) : req.url,
          id: req.id,
          ip: req.ip,
        }),
      },
    },
    pino.destination({ fd: 2, sync: false }),
  );
}
