import { X509Certificate } from 'node:crypto';
import { access } from 'node:fs/promises';
import type { KeystoreType } from './detect-keystore-type.js';
import { KeystoreError } from './keystore-error.js';
import { describeEntry } from './keystore.js';
import type { KeystoreEntry } from './keystore.js';
import { readKeystoreEntries } from './load-keystore.js';
import { parsePemBlocks } from './pem-blocks.js';
import { writeFileAtomic } from './write-file-atomic.js';
import { writePkcs12 } from './write-pkcs12.js';

/** Where a trust store is (`[truststore]` in deployment.toml). `password` is unused for PEM. */
export interface TrustStoreSpec {
  file: string;
  type: KeystoreType;
  password: string;
}

interface TrustedCert {
  alias: string;
  cert: X509Certificate;
}

/**
 * A mutable set of trusted certificates by alias (case-insensitive, like Java), saved back to its file.
 * Portico writes PKCS#12 (cert bags, friendlyName = alias, Java's trusted-key-usage attribute) or a PEM bundle
 * with a `# alias: NAME` line before each certificate. JKS files are read-only.
 */
export class TrustStore {
  readonly spec: TrustStoreSpec;
  readonly #certs = new Map<string, TrustedCert>();
  readonly #readOnly: string | undefined;

  /** Use {@link loadTrustStore} or {@link createTrustStore}. */
  constructor(spec: TrustStoreSpec, certs: TrustedCert[], readOnly?: string) {
    this.spec = spec;
    for (const c of certs) this.#certs.set(c.alias.toLowerCase(), c);
    this.#readOnly = readOnly ?? (spec.type === 'JKS' ? 'Portico does not write JKS files' : undefined);
  }

  /** All trusted certificates, in insertion order. */
  list(): KeystoreEntry[] {
    return [...this.#certs.values()].map((c) =>
      describeEntry({ alias: c.alias, kind: 'cert', chain: [c.cert] }),
    );
  }

  /** The certificate PEM stored under `alias`, or `undefined`. */
  get(alias: string): string | undefined {
    return this.#certs.get(alias.toLowerCase())?.cert.toString();
  }

  /** The certificate stored under `alias`, or `undefined`. */
  certificate(alias: string): X509Certificate | undefined {
    return this.#certs.get(alias.toLowerCase())?.cert;
  }

  /**
   * Adds a certificate given as PEM (text or bytes) or DER, like `keytool -importcert`. Not saved until {@link save}.
   * @throws KeystoreError `KEYSTORE_ALIAS_EXISTS` (unless `replace`), `KEYSTORE_BAD_CERTIFICATE`
   */
  add(alias: string, certPemOrDer: Buffer | string, opts: { replace?: boolean } = {}): KeystoreEntry {
    const name = alias.trim();
    if (name === '' || /[\r\n]/.test(name)) {
      throw new KeystoreError(
        'KEYSTORE_BAD_CERTIFICATE',
        this.spec.file,
        'the alias must be one non-empty line',
        {
          alias,
        },
      );
    }
    if (this.#certs.has(name.toLowerCase()) && opts.replace !== true) {
      throw new KeystoreError('KEYSTORE_ALIAS_EXISTS', this.spec.file, 'alias already exists (use replace)', {
        alias: name,
      });
    }
    const cert = parseTrustedCertificate(certPemOrDer, this.spec.file, name);
    this.#certs.set(name.toLowerCase(), { alias: name, cert });
    return describeEntry({ alias: name, kind: 'cert', chain: [cert] });
  }

  /**
   * Removes the certificate stored under `alias`. Not saved until {@link save}.
   * @throws KeystoreError `KEYSTORE_ALIAS_NOT_FOUND`
   */
  remove(alias: string): void {
    if (!this.#certs.delete(alias.toLowerCase())) {
      throw new KeystoreError('KEYSTORE_ALIAS_NOT_FOUND', this.spec.file, 'no such entry', { alias });
    }
  }

  /**
   * Writes the trust store to its file atomically (temp file + rename, mode 0600).
   * @throws KeystoreError `KEYSTORE_READ_ONLY` (JKS, or a file that also holds private keys)
   */
  async save(): Promise<void> {
    if (this.#readOnly !== undefined) {
      throw new KeystoreError('KEYSTORE_READ_ONLY', this.spec.file, `cannot save: ${this.#readOnly}`);
    }
    const certs = [...this.#certs.values()];
    const data =
      this.spec.type === 'PEM'
        ? certs.map((c) => `# alias: ${c.alias}\n${c.cert.toString()}`).join('')
        : writePkcs12({ password: this.spec.password, certs });
    await writeFileAtomic(this.spec.file, data);
  }
}

/**
 * Loads a trust store. Key entries of the file are not trust anchors and make the store read-only (saving would
 * drop them).
 * @throws KeystoreError as {@link loadKeystore} does
 */
export async function loadTrustStore(spec: TrustStoreSpec): Promise<TrustStore> {
  const raws = await readKeystoreEntries(spec);
  const certs = raws.filter((r) => r.kind === 'cert').map((r) => ({ alias: r.alias, cert: r.chain[0] }));
  const hasKeys = raws.some((r) => r.kind === 'key');
  return new TrustStore(
    spec,
    certs.filter((c): c is TrustedCert => c.cert !== undefined),
    hasKeys ? 'the file also holds private keys' : undefined,
  );
}

/**
 * Creates a new PKCS#12 trust store file holding `certs` (alias → PEM or DER) and returns it.
 * @throws KeystoreError `KEYSTORE_EXISTS` (the file is there already), `KEYSTORE_BAD_CERTIFICATE`
 * @example
 * await createTrustStore({ file: join(home, 'resources/security/client-truststore.p12'), password,
 *   certs: { gateway_certificate_alias: primary.certificatePem('wso2carbon') } });
 */
export async function createTrustStore(opts: {
  file: string;
  password: string;
  certs: Record<string, string | Buffer>;
}): Promise<TrustStore> {
  await assertAbsent(opts.file);
  const store = new TrustStore({ file: opts.file, type: 'PKCS12', password: opts.password }, []);
  for (const [alias, cert] of Object.entries(opts.certs)) store.add(alias, cert);
  await store.save();
  return store;
}

/** @throws KeystoreError `KEYSTORE_EXISTS` when `file` exists. */
export async function assertAbsent(file: string): Promise<void> {
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (exists) throw new KeystoreError('KEYSTORE_EXISTS', file, 'the file already exists; not overwriting it');
}

/**
 * Parses one trusted certificate given as PEM (text or bytes), base64 DER text or DER bytes. A PEM carrying a
 * private key is refused (a trust store holds certificates only), and nothing of the input is echoed.
 * @throws KeystoreError `KEYSTORE_BAD_CERTIFICATE`
 * @example const cert = parseTrustedCertificate(pemText, 'REST', 'partner');
 */
export function parseTrustedCertificate(
  input: Buffer | string,
  file: string,
  alias: string,
): X509Certificate {
  const text = typeof input === 'string' ? input : input.subarray(0, 64 * 1024).toString('latin1');
  let der: Buffer;
  if (text.includes('-----BEGIN ')) {
    const all = parsePemBlocks(typeof input === 'string' ? input : input.toString('utf8'));
    if (all.some((b) => b.label.includes('PRIVATE KEY'))) {
      const detail = 'a private key is not a trusted certificate: send the certificate only';
      throw new KeystoreError('KEYSTORE_BAD_CERTIFICATE', file, detail, { alias });
    }
    const blocks = all.filter((b) => b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE');
    if (blocks.length !== 1) {
      const detail = `expected exactly one certificate, found ${blocks.length}`;
      throw new KeystoreError('KEYSTORE_BAD_CERTIFICATE', file, detail, { alias });
    }
    der = (blocks[0] as (typeof blocks)[number]).der;
  } else {
    der = typeof input === 'string' ? Buffer.from(input, 'base64') : input;
  }
  try {
    return new X509Certificate(der);
  } catch (err) {
    throw new KeystoreError('KEYSTORE_BAD_CERTIFICATE', file, 'not an X.509 certificate (PEM or DER)', {
      alias,
      cause: err,
    });
  }
}
