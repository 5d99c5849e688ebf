import { X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import { changeKeys, RestError } from '../../core/index.js';
import {
  isUniqueViolation,
  trustedCertsRepository,
  withStartupLock,
  type ChangeLog,
  type Store,
} from '../../store/index.js';
import type { SigningKey, TrustedCertificate, TrustedCertificates } from '../context.js';
import type { ChangeFeed } from '../sync/index.js';
import { signingAliasWarnings } from './signing-alias-check.js';
import { parseTrustedCertInput } from './trusted-cert-input.js';

export interface LiveTrustStoreOptions {
  store: Store;
  changes: ChangeLog;
  feed: ChangeFeed;
  logger: Logger;
  /** The API-key signer: its alias must be trusted (with its certificate), else Portico says so loudly. */
  apiKeySigner: Pick<SigningKey, 'alias' | 'certificate'>;
  /** The trust store file's certificates (alias → PEM), imported once per deployment (ADR 0007). */
  seed?: () => Record<string, string>;
}

/**
 * The deployment's trust store, live: kept in the store (shared by every control plane), cached here for
 * synchronous reads, changed through the change log so gateways learn it as a `truststore` delta, and kept
 * current from the change feed (changes of other control planes and of `portico keystore import-cert`). Checks
 * the API-key signing alias at start and after every change: an error log line and {@link TrustedCertificates.warnings}.
 * @example const trust = await createLiveTrustStore({ store, changes, feed, logger, apiKeySigner, seed });
 */
export async function createLiveTrustStore(
  o: LiveTrustStoreOptions,
): Promise<TrustedCertificates & { close(): void }> {
  if (o.seed) await seedTrustStoreOnce(o.store, o.seed());
  let certs: Record<string, string> = await trustedCertsRepository(o.store).record();
  let version = 0;
  let warnings: readonly string[] = [];
  const check = () => {
    const next = signingAliasWarnings(certs, o.apiKeySigner);
    for (const w of next) o.logger.error({ alias: o.apiKeySigner.alias }, `trust store: ${w}`);
    if (next.length === 0 && warnings.length > 0)
      o.logger.info(
        { alias: o.apiKeySigner.alias },
        'trust store: the API-key signing alias is trusted again',
      );
    warnings = next;
  };
  const apply = (next: Record<string, string>, at: number) => {
    if (at < version) return;
    version = at;
    certs = next;
    check();
  };
  check();
  const off = o.feed.subscribe((batch) => {
    for (const d of batch.deltas) if (d.kind === 'truststore') apply({ ...d.trustedCerts }, d.version);
  });
  return {
    all: () => ({ ...certs }),
    list: () => Object.entries(certs).map(([alias, pem]) => describeTrustedCert(alias, pem)),
    get(alias) {
      const found = Object.entries(certs).find(([a]) => a.toLowerCase() === alias.toLowerCase());
      return found === undefined ? undefined : describeTrustedCert(found[0], found[1]);
    },
    warnings: () => [...warnings],
    async add(alias, input, opts = {}) {
      const { result, versions } = await importTrustedCert(o.changes, alias, input, opts);
      apply(result.all, versions[0] ?? version);
      return result.entry;
    },
    async remove(alias) {
      const { result, versions } = await o.changes.writeVersioned(async (trx, record) => {
        const repo = trustedCertsRepository(trx);
        if (!(await repo.remove(alias))) throw new RestError('CERTIFICATE_NOT_FOUND', notFound(alias));
        record(changeKeys.trustStore());
        return repo.record();
      });
      apply(result, versions[0] ?? version);
    },
    close: off,
  };
}

/**
 * Adds (or with `replace`, replaces) one trusted certificate in the store and records the `truststore` change in
 * the same transaction, so every gateway following the change log learns it. The one write path of the REST API
 * and of `portico keystore import-cert`.
 * @throws RestError INVALID_CERTIFICATE_ALIAS, INVALID_CERTIFICATE, CERTIFICATE_ALIAS_EXISTS
 */
export async function importTrustedCert(
  changes: ChangeLog,
  alias: unknown,
  input: unknown,
  opts: { replace?: boolean } = {},
): Promise<{ result: { entry: TrustedCertificate; all: Record<string, string> }; versions: number[] }> {
  const parsed = parseTrustedCertInput(alias, input);
  try {
    return await changes.writeVersioned(async (trx, record) => {
      const repo = trustedCertsRepository(trx);
      const existing = await repo.get(parsed.alias);
      if (existing !== undefined && opts.replace !== true) throw exists(existing.alias);
      // Replacing keeps one row per alias whatever its case: drop the old spelling first.
      if (existing !== undefined) await repo.remove(existing.alias);
      await repo.put({ alias: parsed.alias, pem: parsed.pem });
      record(changeKeys.trustStore());
      return { entry: describeTrustedCert(parsed.alias, parsed.pem), all: await repo.record() };
    });
  } catch (err) {
    // Two writers adding the same alias at once: the loser sees the primary key.
    if (isUniqueViolation(err)) throw exists(parsed.alias);
    throw err;
  }
}

/**
 * Imports the trust store file into the store the first time a deployment starts (or the first time this
 * version of Portico starts on an older deployment); later starts leave the store alone, so certificates
 * removed through the REST API stay removed. Serialised across control planes by the startup lock. Records no
 * change: the imported set is what every snapshot already carried from the file, and a snapshot built from now
 * on reads it from the store.
 */
export async function seedTrustStoreOnce(store: Store, certs: Record<string, string>): Promise<void> {
  await withStartupLock(store, async () => {
    if (await trustedCertsRepository(store).isSeeded()) return;
    await store.transaction(async (trx) => {
      const repo = trustedCertsRepository(trx);
      for (const [alias, pem] of Object.entries(certs)) {
        const parsed = parseTrustedCertInput(alias, pem);
        const existing = await repo.get(parsed.alias);
        if (existing === undefined) await repo.put({ alias: parsed.alias, pem: parsed.pem });
      }
      await repo.markSeeded();
    });
  });
}

/** The public description of a trusted certificate (the certificate is public; nothing private is kept). */
export function describeTrustedCert(alias: string, pem: string): TrustedCertificate {
  const cert = new X509Certificate(pem);
  return {
    alias,
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    sha1Fingerprint: cert.fingerprint,
    sha256Fingerprint: cert.fingerprint256,
    certificate: cert.toString(),
  };
}

const exists = (alias: string) =>
  new RestError('CERTIFICATE_ALIAS_EXISTS', `Trust store alias already exists: "${alias}"`);
const notFound = (alias: string) => `No trusted certificate with alias "${alias}"`;
