import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { RestError } from '../../core/index.js';
import { leakReporterKeys, verifyLeakReportSignature, type LeakReporterKey } from '../../crypto/index.js';
import type { ControlPlaneContext } from '../context.js';
import { answerLeakReport, type LeakReportItem } from './leak-report-service.js';

/** Where secret scanners send leak reports. Not a user API: the signature is the authentication. */
export const LEAK_REPORTS_PATH = '/api/portico/v1/leak-reports';

/** Most matches one report may carry (GitHub batches several). */
export const MAX_LEAK_REPORT_ITEMS = 1000;

/** GitHub secret-scanning partner payload: a JSON array of `{ token, type, url, source }`. */
const LeakReportBody = Type.Array(
  Type.Object(
    {
      token: Type.String({ minLength: 1, maxLength: 16_384 }),
      type: Type.String({ minLength: 1, maxLength: 200 }),
      url: Type.Optional(Type.String({ maxLength: 4096 })),
      source: Type.Optional(Type.String({ maxLength: 200 })),
    },
    // GitHub may add fields; they are ignored, not refused.
    { additionalProperties: true },
  ),
  { minItems: 1, maxItems: MAX_LEAK_REPORT_ITEMS },
);

const ID_HEADER = 'github-public-key-identifier';
const SIGNATURE_HEADER = 'github-public-key-signature';
const UNSIGNED =
  'The leak report needs a valid Github-Public-Key-Signature by a key configured in [apim.devportal.leak_report] public_keys';

/**
 * `POST /api/portico/v1/leak-reports` (docs/secret-scanning.md): a leak report in the GitHub secret-scanning
 * partner format, signed over the raw body (`Github-Public-Key-Identifier`, `Github-Public-Key-Signature`: ECDSA
 * P-256 / SHA-256, DER, base64) with a key of `[apim.devportal.leak_report] public_keys`. The signature is checked
 * on the exact bytes received, before the body is parsed; then each reported Portico API key is revoked or marked
 * leaked, and the answer is GitHub's feedback array (`token_hash` | `token_raw`, `token_type`, `label`).
 * Faults: 404 LEAK_REPORTS_DISABLED (`enabled = false`), 401 LEAK_REPORT_UNAUTHENTICATED (no, unknown or wrong
 * signature), 400 VALIDATION_FAILED / BAD_REQUEST (not a JSON array of matches), 413 PAYLOAD_TOO_LARGE
 * (over `max_body_bytes`), 415 UNSUPPORTED_MEDIA_TYPE.
 * @throws Error at start when a configured public key is not an EC P-256 PEM public key
 */
export function leakReportRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const settings = ctx.config.apim.devportal.leak_report;
  const keys: readonly LeakReporterKey[] = leakReporterKeys(settings.public_keys);
  // The reporter key id of each request whose body verified, for the handler.
  const verified = new WeakMap<FastifyRequest, string>();

  const checkSignature = (request: FastifyRequest, body: Buffer): string => {
    const verdict = verifyLeakReportSignature(
      keys,
      single(request.headers[ID_HEADER]),
      single(request.headers[SIGNATURE_HEADER]),
      body,
    );
    if (!verdict.valid) {
      request.log.warn({ reason: verdict.reason }, 'leak report refused: signature');
      throw new RestError('LEAK_REPORT_UNAUTHENTICATED', UNSIGNED);
    }
    return verdict.keyId;
  };

  void app.register(async (scoped) => {
    const json = scoped.getDefaultJsonParser('error', 'error');
    // The raw bytes are what is signed, so this scope reads them itself; the signature is checked before parsing.
    scoped.removeContentTypeParser('application/json');
    scoped.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: settings.max_body_bytes },
      (request, raw, done) => {
        const body = raw as Buffer;
        try {
          verified.set(request, checkSignature(request, body));
        } catch (err) {
          done(err as Error, undefined);
          return;
        }
        json(request, body.toString('utf8'), done);
      },
    );

    scoped.addHook('onRequest', async () => {
      if (!settings.enabled)
        throw new RestError(
          'LEAK_REPORTS_DISABLED',
          'Leak reports are not enabled here ([apim.devportal.leak_report] enabled)',
        );
    });

    scoped.post(
      LEAK_REPORTS_PATH,
      {
        bodyLimit: settings.max_body_bytes,
        schema: { body: LeakReportBody },
        // A request without a body never reached the parser: its (empty) body must be signed too, and that is
        // checked before the schema calls the missing body a 400.
        preValidation: async (request) => {
          if (!verified.has(request)) verified.set(request, checkSignature(request, Buffer.alloc(0)));
        },
      },
      async (request, reply) => {
        const reporter = verified.get(request) as string;
        const answer = await answerLeakReport(ctx, reporter, request.body as LeakReportItem[]);
        return reply.status(200).send(answer);
      },
    );
  });
}

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
