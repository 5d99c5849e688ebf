import { strToU8, zipSync } from 'fflate';
import { stringify } from 'yaml';
import { RestError } from '../../core/index.js';
import { parseDefinitionText } from '../publisher/definition-text.js';
import { isObject } from '../publisher/api-dto-fields.js';
import type { ProjectFiles } from './read-project-archive.js';

/** The `version` Portico writes into project documents: the WSO2 API Manager release whose layout it follows. */
export const PROJECT_VERSION = 'v4.5.0';

/** The two encodings apictl's `--format` offers. */
export type ProjectFormat = 'YAML' | 'JSON';

/** An exported project: the zip and the file name apictl gives it. */
export interface ExportedProject {
  fileName: string;
  zip: Uint8Array;
}

/** A name as one path segment of an archive or a download file name (`/`, quotes and the like become `_`). */
export const safeFileName = (name: string): string => name.replace(/[^A-Za-z0-9._@ -]/g, '_');

/** An apictl project document: `type: api`, `version: v4.x`, `data: {...}`. */
export interface ProjectDocument {
  type: string;
  version: string;
  data: unknown;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The document `<base>.yaml`, `<base>.yml` or `<base>.json` of a project (one of them; two is ambiguous), checked
 * to be of `type` and of a 4.x layout. Undefined when the project has none.
 * Faults: 400 PROJECT_INVALID (not UTF-8, not an object, wrong type or version, two encodings given),
 * INVALID_DEFINITION (not YAML/JSON, an alias bomb), VALIDATION_FAILED (a control character, nested too deep).
 */
export function readProjectDocument(
  project: ProjectFiles,
  base: string,
  type: string,
): ProjectDocument | undefined {
  const found = ['yaml', 'yml', 'json'].map((ext) => `${base}.${ext}`).filter((n) => project.files.has(n));
  if (found.length > 1)
    throw new RestError('PROJECT_INVALID', `The project holds both ${found.join(' and ')}; keep one`);
  const name = found[0];
  if (name === undefined) return undefined;
  const doc = parseDefinitionText(projectText(project, name), name);
  if (!isObject(doc) || !('data' in doc))
    throw new RestError('PROJECT_INVALID', `${name} must be an object with type, version and data`);
  if (doc.type !== type)
    throw new RestError('PROJECT_INVALID', `${name} must have type: ${type} (found ${describe(doc.type)})`);
  if (typeof doc.version !== 'string' || !/^v4\.\d+(\.\d+)?$/.test(doc.version))
    throw new RestError(
      'PROJECT_INVALID',
      `${name} has version ${describe(doc.version)}; Portico reads the layout of WSO2 API Manager 4.x (v4.x.x)`,
    );
  return { type, version: doc.version, data: doc.data };
}

/** A project file as UTF-8 text. @throws RestError PROJECT_INVALID when it is not UTF-8. */
export function projectText(project: ProjectFiles, name: string): string {
  const bytes = project.files.get(name);
  if (!bytes) throw new RestError('PROJECT_INVALID', `The project has no ${name}`);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new RestError('PROJECT_INVALID', `${name} is not UTF-8 text`);
  }
}

/** A value as the text of a project file in `format`. */
export function formatDocument(value: unknown, format: ProjectFormat): string {
  return format === 'JSON'
    ? `${JSON.stringify(value, null, 2)}\n`
    : stringify(value, { aliasDuplicateObjects: false });
}

/** The extension of a project file in `format`. */
export const extensionOf = (format: ProjectFormat): string => (format === 'JSON' ? 'json' : 'yaml');

/**
 * A zip of `files` (paths relative to the project folder) inside the folder `root`, as apictl writes it.
 * @example writeProjectArchive('PizzaShackAPI-1.0.0', { 'api.yaml': 'type: api\n...' })
 */
export function writeProjectArchive(root: string, files: Readonly<Record<string, string>>): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  const folder = safeFileName(root);
  for (const [path, text] of Object.entries(files)) entries[`${folder}/${path}`] = strToU8(text);
  return zipSync(entries, { level: 6 });
}

/** The format query parameter (YAML by default, as apictl). @throws RestError VALIDATION_FAILED */
export function parseFormat(value: string | undefined): ProjectFormat {
  const f = (value ?? 'YAML').toUpperCase();
  if (f !== 'YAML' && f !== 'JSON') throw new RestError('VALIDATION_FAILED', 'format must be YAML or JSON');
  return f;
}

/** A boolean query parameter (`true`/`false`); `fallback` when absent. @throws RestError VALIDATION_FAILED */
export function booleanQuery(value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new RestError('VALIDATION_FAILED', `Query parameter ${name} must be true or false`);
}

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : v === undefined ? 'nothing' : typeof v;
}

/**
 * Refuses WSO2 query options Portico does not implement when they are switched on (`dryRun=true` ignored would
 * import for real). `off` is the value that means "not used" for each (default `false`).
 * @throws RestError UNSUPPORTED_FIELD naming them
 */
export function refuseUnsupportedOptions(
  query: Record<string, string | undefined>,
  names: readonly string[],
  off: Readonly<Record<string, string>> = {},
): void {
  const set = names.filter((n) => {
    const v = query[n];
    return v !== undefined && v !== '' && v !== (off[n] ?? 'false');
  });
  if (set.length === 0) return;
  const problems = set.map((n) => ({
    code: 'UNSUPPORTED_FIELD',
    message: `Query parameter ${n} is not supported by Portico; leave it out`,
  }));
  throw new RestError('UNSUPPORTED_FIELD', problems.map((p) => p.message).join('; '), problems);
}
