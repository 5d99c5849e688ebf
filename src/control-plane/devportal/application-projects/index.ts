export { registerApplicationProjectRoutes } from './application-project-routes.js';
export { exportApplication, type ApplicationExportQuery } from './application-export.js';
export { importApplication, type ApplicationImportOptions } from './application-import.js';
