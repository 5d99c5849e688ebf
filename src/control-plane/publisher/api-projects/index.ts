export { registerApiProjectRoutes } from './api-project-routes.js';
export { exportApi, type ApiExportQuery } from './api-export.js';
export { importApi, type ApiImportOptions, type ImportApiResponse } from './api-import.js';
