export { adminUsageRoutes, devportalUsageRoutes, publisherUsageRoutes, USAGE_PATHS } from './usage-routes.js';
export { startUsagePruner } from './usage-pruner.js';
export type { UsagePrunerOptions } from './usage-pruner.js';
export { usageWindowOf } from './usage-query.js';
export type { Granularity, UsageWindow } from './usage-query.js';
export type { UsageFigures } from './usage-report.js';
