export { leakReportRoutes, LEAK_REPORTS_PATH, MAX_LEAK_REPORT_ITEMS } from './leak-report-routes.js';
export { answerLeakReport } from './leak-report-service.js';
export type { LeakFeedback, LeakReportItem } from './leak-report-service.js';
export { identifyReportedKey } from './identify-reported-key.js';
export type { ReportedKey } from './identify-reported-key.js';
