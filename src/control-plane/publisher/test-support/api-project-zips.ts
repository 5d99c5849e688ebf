import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { zipSync } from 'fflate';
import type { Harness } from '../../../../test/support/control-plane-harness.js';
import { multipartBody } from '../../http/test-support/multipart-body.js';
import { adminAuth, PUB } from './publisher-fixtures.js';

/** apictl project zips for the import tests (tests only). */
const FIXTURES = join(import.meta.dirname, '../../../../test/fixtures/wso2-export');

/** POST /apis/import with `zip` as the multipart file part. */
export async function importZip(h: Harness, zip: Uint8Array, query = '', headers = adminAuth) {
  const { payload, headers: form } = await multipartBody({
    file: { file: zip, filename: 'api.zip', type: 'application/zip' },
  });
  return h.app.inject({
    method: 'POST',
    url: `${PUB}/apis/import${query}`,
    headers: { ...headers, ...form },
    payload,
  });
}

/** The files of a project folder under test/fixtures, zipped as apictl would upload them. */
export function zipFixture(folder: string): Uint8Array {
  const root = join(FIXTURES, folder);
  const entries: Record<string, Uint8Array> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else entries[`${folder}/${relative(root, path).split(sep).join('/')}`] = readFileSync(path);
    }
  };
  walk(root);
  return zipSync(entries);
}
