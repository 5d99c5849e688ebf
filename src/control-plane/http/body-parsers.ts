import type { FastifyInstance } from 'fastify';

/** A parsed form body: a repeated field keeps every value, so it can be refused instead of half-read. */
export type FormFields = Record<string, string | string[]>;

/**
 * Replaces Fastify's body parsers with the two media types the control plane documents:
 * - `application/json`: secure-json-parse refusing `__proto__` and `constructor.prototype`; an empty (or blank)
 *   body is no body, because WSO2 documents `-H "Content-Type: application/json" -X POST` with no data for
 *   bodiless operations such as `regenerate-secret`;
 * - `application/x-www-form-urlencoded` (the OAuth2 endpoints): {@link parseForm}.
 * `text/plain` is dropped: no route takes it. Which route accepts which type is `config.accepts` (input-guard.ts).
 */
export function installBodyParsers(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    json(request, text, done);
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, parseForm(typeof body === 'string' ? body : body.toString('utf8')));
    },
  );
}

/**
 * The fields of a form body; a name given more than once maps to all its values in order. The object has no
 * prototype, so a field named `__proto__` or `constructor` is just a field.
 * @example parseForm('a=1&b=2&a=3') // { a: ['1', '3'], b: '2' }
 */
export function parseForm(text: string): FormFields {
  const out = Object.create(null) as FormFields;
  for (const [name, value] of new URLSearchParams(text)) {
    const seen = out[name];
    out[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}
