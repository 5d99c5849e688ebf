import { SYSTEM_ACTOR } from '../../audit/index.js';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { Harness } from '../../../../test/support/control-plane-harness.js';
import { applicationsRepository } from '../../../store/index.js';
import { issueApiKey } from '../../devportal/api-keys/api-key-service.js';
import { parseGenerateRequest } from '../../devportal/api-keys/api-key-request.js';
import { LEAK_REPORTS_PATH } from '../index.js';

/** Test helpers of the leak-report endpoint (tests only). */

/** An ECDSA P-256 key pair standing in for a reporter's signing key (GitHub's are P-256 too). */
export interface ReporterKey {
  id: string;
  privateKey: KeyObject;
  publicPem: string;
}

export function reporterKey(id: string, curve = 'prime256v1'): ReporterKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  return { id, privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** The reporter signing key the tests configure, under GitHub's kind of key id. */
export const GITHUB_REPORTER = reporterKey('github-test-key-1');

/** `[apim.devportal.leak_report]` enabled with `keys` as `[[public_keys]]` tables, plus `extra` lines. */
export function leakReportToml(keys: readonly ReporterKey[], extra = ''): string {
  const tables = keys
    .map((k) => `[[apim.devportal.leak_report.public_keys]]\nid = "${k.id}"\npem = """\n${k.publicPem}"""\n`)
    .join('');
  return `[apim.devportal.leak_report]\nenabled = true\n${extra}\n${tables}`;
}

/** base64 of the DER ECDSA / SHA-256 signature of `body` (what `Github-Public-Key-Signature` carries). */
export function signBody(key: ReporterKey, body: string | Buffer): string {
  return sign('sha256', Buffer.from(body), { key: key.privateKey, dsaEncoding: 'der' }).toString('base64');
}

/** The signature headers of `body` signed by `key`. */
export function signedHeaders(key: ReporterKey, body: string | Buffer): Record<string, string> {
  return {
    'github-public-key-identifier': key.id,
    'github-public-key-signature': signBody(key, body),
  };
}

/** POSTs `body` (sent byte for byte) to the leak-report endpoint with `headers`. */
export function postReport(h: Harness, body: string | Buffer, headers: Record<string, string> = {}) {
  return h.app.inject({
    method: 'POST',
    url: LEAK_REPORTS_PATH,
    headers: { 'content-type': 'application/json', ...headers },
    payload: body,
  });
}

/** The body GitHub sends for `tokens` (one match each). */
export function reportBody(tokens: readonly string[], type = 'portico_api_key'): string {
  return JSON.stringify(
    tokens.map((token, i) => ({
      token,
      type,
      url: `https://github.com/octocat/hello/blob/0123abc/config-${i}.env`,
      source: 'content',
    })),
  );
}

/** Issues an API key of `format` to application `appId` as `username` directly through the service. */
export async function issueKey(
  h: Harness,
  appId: number,
  username: string,
  format: 'jwt' | 'opaque',
): Promise<{ apikey: string; jti: string }> {
  const app = await applicationsRepository(h.store).findById(appId);
  if (!app) throw new Error(`no application ${appId}`);
  const req = parseGenerateRequest({ validityPeriod: 3600 });
  const { apikey, row } = await issueApiKey(h.ctx, app, username, 'PRODUCTION', req, {
    actor: SYSTEM_ACTOR,
    format,
  });
  return { apikey, jti: row.jti };
}
