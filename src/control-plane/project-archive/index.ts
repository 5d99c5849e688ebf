export { readProjectArchive, type ArchiveLimits, type ProjectFiles } from './read-project-archive.js';
export {
  PROJECT_VERSION,
  booleanQuery,
  extensionOf,
  formatDocument,
  parseFormat,
  projectText,
  readProjectDocument,
  refuseUnsupportedOptions,
  safeFileName,
  writeProjectArchive,
  type ExportedProject,
  type ProjectDocument,
  type ProjectFormat,
} from './project-document.js';
export { archiveLimits, uploadedArchive } from './uploaded-archive.js';
