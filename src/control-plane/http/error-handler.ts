import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { RestError } from '../../core/index.js';
import { isStoreUnavailable } from '../../store/index.js';

const STORE_RETRY_AFTER_S = 5;
/** One warning per 10 s while the database is away, not one per request. */
const STORE_WARN_EVERY_MS = 10_000;
let lastStoreWarning = 0;

/** Renders RestError, validation and unknown errors as WSO2-shaped bodies; unknown detail goes to the log only. */
export function errorHandler(
  error: FastifyError | RestError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error instanceof RestError) {
    if (error.status === 429) reply.header('retry-after', String(error.retryAfterS ?? 1));
    return reply.status(error.status).send(error.toBody());
  }
  const fe = error as FastifyError;
  if (fe.validation) {
    const details = fe.validation.map((v) => ({
      code: 'VALIDATION_FAILED',
      message: `${v.instancePath || fe.validationContext || 'body'} ${v.message ?? 'is invalid'}`.trim(),
    }));
    const e = new RestError('VALIDATION_FAILED', details.map((d) => d.message).join('; '), details);
    return reply.status(400).send(e.toBody());
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code =
      fe.statusCode === 413
        ? 'PAYLOAD_TOO_LARGE'
        : fe.statusCode === 415
          ? 'UNSUPPORTED_MEDIA_TYPE'
          : fe.statusCode === 404
            ? 'NOT_FOUND'
            : 'BAD_REQUEST';
    const e = new RestError(
      code,
      fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
        ? 'The request body is not valid JSON'
        : fe.message,
    );
    return reply.status(e.status).send(e.toBody());
  }
  if (isStoreUnavailable(error)) {
    const now = Date.now();
    if (now - lastStoreWarning >= STORE_WARN_EVERY_MS) {
      lastStoreWarning = now;
      request.log.warn(
        { reqId: request.id, cause: (error as Error).message },
        'database unavailable: answering 503 until it is back',
      );
    }
    reply.header('retry-after', String(STORE_RETRY_AFTER_S));
    const e = new RestError('STORE_UNAVAILABLE', 'The database is unavailable; retry later');
    return reply.status(503).send(e.toBody());
  }
  request.log.error({ err: error }, 'unhandled error');
  const e = new RestError('INTERNAL', `Internal error; reference ${request.id}`);
  return reply.status(500).send(e.toBody());
}
