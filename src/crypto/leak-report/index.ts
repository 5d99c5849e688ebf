export { leakReporterKeys, MAX_SIGNATURE_BYTES, verifyLeakReportSignature } from './leak-report-signature.js';
export type { LeakReporterKey, LeakSignatureRefusal, LeakSignatureVerdict } from './leak-report-signature.js';
