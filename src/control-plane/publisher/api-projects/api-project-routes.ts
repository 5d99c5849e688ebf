import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../auth/authenticate.js';
import type { ControlPlaneContext } from '../../context.js';
import { MULTIPART } from '../../http/multipart-form.js';
import {
  booleanQuery,
  parseFormat,
  refuseUnsupportedOptions,
  uploadedArchive,
} from '../../project-archive/index.js';
import { BASE } from '../api-routes.js';
import { exportApi } from './api-export.js';
import { importApi } from './api-import.js';

const IMPORT_EXPORT = ['apim:api_import_export', 'apim:admin'];
const EXPORT_SCOPES = ['apim:api_view', 'apim:api_publish', 'apim:api_create', ...IMPORT_EXPORT];

type ExportQuery = {
  [option: string]: string | undefined;
  apiId?: string;
  name?: string;
  version?: string;
  providerName?: string;
  format?: string;
  preserveStatus?: string;
};
type ImportQuery = {
  [option: string]: string | undefined;
  preserveProvider?: string;
  overwrite?: string;
  rotateRevision?: string;
};

/**
 * `GET /apis/export` (an apictl project zip, `application/zip`) and `POST /apis/import` (multipart `file`: such
 * a zip, from Portico or WSO2 API Manager 4.x). Faults: see exportApi and importApi, plus 400 MULTIPART_INVALID and
 * the archive faults (ARCHIVE_*, PROJECT_INVALID), 413 PAYLOAD_TOO_LARGE / ARCHIVE_TOO_LARGE.
 */
export function registerApiProjectRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  app.get<{ Querystring: ExportQuery }>(
    `${BASE}/apis/export`,
    { config: { scopes: EXPORT_SCOPES } },
    async (req, reply) => {
      const q = req.query;
      // Portico exports the working copy to its one environment, and keeps no endpoint credentials.
      refuseUnsupportedOptions(q, ['revisionNumber', 'latestRevision', 'gatewayEnvironment'], {
        gatewayEnvironment: 'Default',
      });
      const project = await exportApi(
        ctx.store,
        {
          apiId: q.apiId,
          name: q.name,
          version: q.version,
          providerName: q.providerName,
          format: parseFormat(q.format),
          preserveStatus: booleanQuery(q.preserveStatus, 'preserveStatus', true),
        },
        callerOf(req),
      );
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${project.fileName}"`)
        .send(Buffer.from(project.zip));
    },
  );

  app.post<{ Querystring: ImportQuery }>(
    `${BASE}/apis/import`,
    {
      bodyLimit: ctx.config.apim.publisher.max_definition_size,
      config: { scopes: IMPORT_EXPORT, accepts: [MULTIPART], formFields: ['file'], binaryFields: ['file'] },
    },
    async (req) => {
      const q = req.query;
      refuseUnsupportedOptions(q, ['dryRun', 'preservePortalConfigurations']);
      const opts = {
        preserveProvider: booleanQuery(q.preserveProvider, 'preserveProvider', true),
        overwrite: booleanQuery(q.overwrite, 'overwrite', false),
        rotateRevision: booleanQuery(q.rotateRevision, 'rotateRevision', false),
      };
      return importApi(ctx, uploadedArchive(ctx, req.body), opts, callerOf(req));
    },
  );
}
