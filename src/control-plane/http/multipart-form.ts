import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RestError } from '../../core/index.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The form fields a route takes as `multipart/form-data` (list the type in `accepts` too). A file part and a
     * plain field are read alike: curl's `-F file=@openapi.yaml` and `-F inlineAPIDefinition=...` both give text.
     */
    formFields?: readonly string[];
    /** Form fields whose file part is kept as bytes (a `Buffer`), not decoded as text: an uploaded zip archive. */
    binaryFields?: readonly string[];
  }
}

/** The media type of WSO2's upload operations (import-openapi, validate-openapi, PUT swagger, KM discover). */
export const MULTIPART = 'multipart/form-data';

/** More parts than this is 413: no operation takes more than four fields. */
const MAX_PARTS = 16;
/** Room for part headers and boundaries on top of the content limit when the request says its length. */
const FRAMING_BYTES = 64 * 1024;

export interface MultipartFormOptions {
  /** The most content bytes a form may hold, all parts together (`[apim.publisher] max_definition_size`). */
  maxBytes: number;
}

/**
 * Reads `multipart/form-data` bodies for the routes that list it in `config.accepts`, before the input guard's
 * checks (install it before {@link installInputGuard}): `request.body` becomes an object without prototype
 * holding each field as text (a file part is decoded as UTF-8 unless its field is in `config.binaryFields`, then
 * it stays a `Buffer`; a part sent as `application/json` arrives parsed).
 * Faults: 413 PAYLOAD_TOO_LARGE (over `maxBytes`, or more than 16 parts), 400 MULTIPART_INVALID (malformed body,
 * no boundary, a field not in `config.formFields`, a field given twice, a field named like an Object property).
 * @example await installMultipartForms(app, { maxBytes: 10 * 1024 * 1024 });
 */
export async function installMultipartForms(app: FastifyInstance, opts: MultipartFormOptions): Promise<void> {
  await app.register(multipart, {
    limits: {
      fieldNameSize: 100,
      fieldSize: opts.maxBytes,
      fileSize: opts.maxBytes,
      parts: MAX_PARTS,
      headerPairs: 100,
    },
    throwFileSizeLimit: true,
  });
  // A callback hook, so the requests that are not multipart (nearly all) pass without a promise.
  app.addHook('preValidation', (request, _reply, done) => {
    if (!request.isMultipart()) return done();
    const length = Number(request.headers['content-length'] ?? 0);
    if (length > opts.maxBytes + FRAMING_BYTES) return done(tooLarge(opts.maxBytes));
    readForm(request, opts.maxBytes).then((body) => {
      request.body = body;
      done();
    }, done);
  });
}

async function readForm(request: FastifyRequest, maxBytes: number): Promise<Record<string, unknown>> {
  const allowed = request.routeOptions.config.formFields ?? [];
  const binary = request.routeOptions.config.binaryFields ?? [];
  const fields = Object.create(null) as Record<string, unknown>;
  let total = 0;
  try {
    for await (const part of request.parts()) {
      const name = part.fieldname;
      if (!allowed.includes(name)) {
        if (part.type === 'file') part.file.resume();
        throw new RestError(
          'MULTIPART_INVALID',
          `Form field ${printable(name)} is not taken here; use ${allowed.join(', ')}`,
        );
      }
      if (name in fields) {
        if (part.type === 'file') part.file.resume();
        throw new RestError('MULTIPART_INVALID', `Form field ${name} must not be repeated`);
      }
      let value: unknown;
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        total += bytes.length;
        value = binary.includes(name) ? bytes : bytes.toString('utf8');
      } else {
        if (part.valueTruncated || part.fieldnameTruncated) throw tooLarge(maxBytes);
        value = part.value;
        total += typeof value === 'string' ? Buffer.byteLength(value) : 0;
      }
      if (total > maxBytes) throw tooLarge(maxBytes);
      fields[name] = value;
    }
  } catch (err) {
    throw asRestError(err, maxBytes);
  }
  return fields;
}

/** Busboy and plugin errors as REST errors: limits are 413, everything else a malformed body (never a 500). */
function asRestError(err: unknown, maxBytes: number): RestError {
  if (err instanceof RestError) return err;
  const status = (err as { statusCode?: unknown }).statusCode;
  if (status === 413) return tooLarge(maxBytes);
  const code = (err as { code?: unknown }).code;
  if (code === 'FST_PROTO_VIOLATION')
    return new RestError('MULTIPART_INVALID', 'A form field name must not be an Object property name');
  if (code === 'FST_INVALID_JSON_FIELD_ERROR')
    return new RestError('MULTIPART_INVALID', 'A form field sent as application/json is not valid JSON');
  return new RestError('MULTIPART_INVALID', 'The multipart/form-data body is malformed');
}

function tooLarge(maxBytes: number): RestError {
  return new RestError('PAYLOAD_TOO_LARGE', `The form is larger than ${maxBytes} bytes`);
}

function printable(s: string): string {
  return /^[A-Za-z0-9_.-]{1,100}$/.test(s) ? s : JSON.stringify(s.slice(0, 100));
}
