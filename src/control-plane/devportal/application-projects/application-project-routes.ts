import type { FastifyInstance } from 'fastify';
import { RestError } from '../../../core/index.js';
import { auditActorOf } from '../../audit/index.js';
import { callerOf } from '../../auth/authenticate.js';
import type { ControlPlaneContext } from '../../context.js';
import { MULTIPART } from '../../http/multipart-form.js';
import {
  booleanQuery,
  parseFormat,
  refuseUnsupportedOptions,
  uploadedArchive,
} from '../../project-archive/index.js';
import { DEVPORTAL_BASE } from '../devportal-base.js';
import { exportApplication } from './application-export.js';
import { importApplication } from './application-import.js';

const SCOPES = ['apim:app_import_export'];

type ExportQuery = { appName?: string; appOwner?: string; withKeys?: string; format?: string };
type ImportQuery = {
  [option: string]: string | undefined;
  preserveOwner?: string;
  skipSubscriptions?: string;
  appOwner?: string;
  skipApplicationKeys?: string;
  update?: string;
};

/**
 * `GET /applications/export` (an apictl application project zip) and `POST /applications/import` (multipart
 * `file`): 200 ApplicationInfo, or 207 APIInfoList naming the subscriptions that could not be made here.
 * Admin only (`apim:app_import_export`), as in WSO2: it reads and writes other users' applications.
 * Faults: see exportApplication and importApplication, plus MULTIPART_INVALID, ARCHIVE_*, PROJECT_INVALID.
 */
export function registerApplicationProjectRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  app.get<{ Querystring: ExportQuery }>(
    `${DEVPORTAL_BASE}/applications/export`,
    { config: { scopes: SCOPES } },
    async (req, reply) => {
      const { appName, appOwner } = req.query;
      if (!appName || !appOwner)
        throw new RestError('VALIDATION_FAILED', 'Query parameters appName and appOwner are required');
      const project = await exportApplication(
        ctx.store,
        {
          appName,
          appOwner,
          withKeys: booleanQuery(req.query.withKeys, 'withKeys', false),
          format: parseFormat(req.query.format),
        },
        ctx.clock.now(),
      );
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${project.fileName}"`)
        .send(Buffer.from(project.zip));
    },
  );

  app.post<{ Querystring: ImportQuery }>(
    `${DEVPORTAL_BASE}/applications/import`,
    {
      bodyLimit: ctx.config.apim.publisher.max_definition_size,
      config: { scopes: SCOPES, accepts: [MULTIPART], formFields: ['file'], binaryFields: ['file'] },
    },
    async (req, reply) => {
      const q = req.query;
      refuseUnsupportedOptions(q, ['ignoreTier']);
      const result = await importApplication(
        ctx,
        uploadedArchive(ctx, req.body),
        {
          preserveOwner: booleanQuery(q.preserveOwner, 'preserveOwner', false),
          appOwner: q.appOwner === '' ? undefined : q.appOwner,
          skipSubscriptions: booleanQuery(q.skipSubscriptions, 'skipSubscriptions', false),
          skipApplicationKeys: booleanQuery(q.skipApplicationKeys, 'skipApplicationKeys', false),
          update: booleanQuery(q.update, 'update', false),
        },
        callerOf(req),
        auditActorOf(req),
      );
      if (result.skipped.length === 0) return result.application;
      const list = result.skipped.map((s) => ({
        name: s.apiName,
        version: s.version,
        provider: s.providerName,
      }));
      return reply.status(207).send({ count: list.length, list });
    },
  );
}
