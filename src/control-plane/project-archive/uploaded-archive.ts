import { RestError } from '../../core/index.js';
import type { ControlPlaneContext } from '../context.js';
import { isObject } from '../publisher/api-dto-fields.js';
import { readProjectArchive, type ArchiveLimits, type ProjectFiles } from './read-project-archive.js';

/** Most entries of an imported project: apictl's API projects hold a dozen files, applications one. */
const MAX_ENTRIES = 100;
/** An imported project may expand to this many times `[apim.publisher] max_definition_size` in all. */
const TOTAL_FACTOR = 4;

/**
 * The limits of an imported archive: each file at most `[apim.publisher] max_definition_size` bytes (the largest
 * definition Portico takes), all together 4 times that, at most 100 entries.
 */
export function archiveLimits(ctx: ControlPlaneContext): ArchiveLimits {
  const max = ctx.config.apim.publisher.max_definition_size;
  return { maxEntries: MAX_ENTRIES, maxEntryBytes: max, maxTotalBytes: TOTAL_FACTOR * max };
}

/**
 * The project in the `file` part of an import request (multipart, kept as bytes by `binaryFields`).
 * Faults: 400 MULTIPART_INVALID (no file part), and those of {@link readProjectArchive}.
 */
export function uploadedArchive(ctx: ControlPlaneContext, body: unknown): ProjectFiles {
  const file = isObject(body) ? body.file : undefined;
  if (!(file instanceof Uint8Array))
    throw new RestError(
      'MULTIPART_INVALID',
      'Send the project zip as the multipart/form-data file part "file"',
    );
  return readProjectArchive(file, archiveLimits(ctx));
}
