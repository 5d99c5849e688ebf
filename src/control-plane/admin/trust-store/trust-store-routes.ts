import type { FastifyInstance } from 'fastify';
import { RestError } from '../../../core/index.js';
import type { ControlPlaneContext } from '../../context.js';

const LIST = '/api/am/admin/v4/trust-store/certificates';
const ONE = `${LIST}/:alias`;
const ADMIN = ['apim:admin'];
// A PEM certificate is a few kB; 64 kB leaves room for long chains of extensions, not for abuse.
const AddBody = {
  type: 'object',
  properties: {
    alias: { type: 'string', minLength: 1, maxLength: 255 },
    certificate: { type: 'string', minLength: 1, maxLength: 65536 },
  },
  required: ['alias', 'certificate'],
  additionalProperties: false,
} as const;
const AliasParams = {
  type: 'object',
  properties: { alias: { type: 'string', minLength: 1, maxLength: 255 } },
  required: ['alias'],
} as const;
type One = { Params: { alias: string } };

/**
 * The trust store of the running deployment (a Portico extension of Admin v4; ADR 0007), `apim:admin` only:
 * - `GET /trust-store/certificates`: `{count, list, warnings}` (warnings: the API-key signing alias check);
 * - `POST /trust-store/certificates` `{alias, certificate}` (PEM or base64 DER): 201 with the entry;
 * - `GET` / `DELETE /trust-store/certificates/{alias}`: the entry / 200.
 * Every change reaches the gateways as a `truststore` delta, without a restart.
 * Faults: 400 VALIDATION_FAILED, INVALID_CERTIFICATE, INVALID_CERTIFICATE_ALIAS; 404 CERTIFICATE_NOT_FOUND;
 * 409 CERTIFICATE_ALIAS_EXISTS; 401/403.
 */
export function trustStoreRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  app.get(LIST, { config: { scopes: ADMIN } }, async () => {
    const list = ctx.trust.list();
    return { count: list.length, list, warnings: ctx.trust.warnings() };
  });

  app.post<{ Body: { alias: string; certificate: string } }>(
    LIST,
    { config: { scopes: ADMIN, documentFields: ['certificate'] }, schema: { body: AddBody } },
    async (req, reply) => {
      const entry = await ctx.trust.add(req.body.alias, req.body.certificate);
      return reply
        .status(201)
        .header('location', `${LIST}/${encodeURIComponent(entry.alias)}`)
        .send(entry);
    },
  );

  app.get<One>(ONE, { config: { scopes: ADMIN }, schema: { params: AliasParams } }, async (req) => {
    const entry = ctx.trust.get(req.params.alias);
    if (entry === undefined) throw notFound(req.params.alias);
    return entry;
  });

  app.delete<One>(ONE, { config: { scopes: ADMIN }, schema: { params: AliasParams } }, async (req, reply) => {
    await ctx.trust.remove(req.params.alias);
    return reply.status(200).send();
  });
}

const notFound = (alias: string) =>
  new RestError('CERTIFICATE_NOT_FOUND', `No trusted certificate with alias "${alias}"`);
