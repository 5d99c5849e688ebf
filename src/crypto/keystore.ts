import type { KeyObject, X509Certificate } from 'node:crypto';
import type { KeystoreType } from './detect-keystore-type.js';
import { KeystoreError } from './keystore-error.js';

/** Where a keystore is and how to open it (`[keystore.primary]`, `[custom_keystore.X]` in deployment.toml). */
export interface KeystoreSpec {
  /** Absolute path of the file. */
  file: string;
  /** The declared type; the file's magic bytes must agree. */
  type: KeystoreType;
  /** Store password (JKS integrity, PKCS#12 MAC and key encryption, PEM encrypted-key passphrase). */
  password: string;
  /** The key entry used when `privateKey()` is called without an alias; must exist when given. */
  alias?: string;
  /** Password of the key entry when it differs from the store password (JKS, encrypted PEM). */
  keyPassword?: string;
}

/** One entry of a keystore, as `keytool -list -v` would describe it. */
export interface KeystoreEntry {
  alias: string;
  /** `key`: a private key with its certificate chain; `cert`: a trusted certificate only. */
  kind: 'key' | 'cert';
  /** The entry's (leaf) certificate. */
  certificatePem: string;
  /** The whole chain, leaf first (one element for a trusted certificate). */
  chainPem: string[];
  notAfter: Date;
  subjectCN: string | undefined;
  /** Upper-case, colon-separated, as keytool prints it. */
  sha1Fingerprint: string;
  sha256Fingerprint: string;
}

/** A loaded keystore. Lookups by alias are case-insensitive, like Java's JKS and PKCS#12 stores. */
export interface Keystore {
  readonly file: string;
  readonly type: KeystoreType;
  entries(): KeystoreEntry[];
  /**
   * The private key of `alias`, by default the spec's alias or the only key entry.
   * @throws KeystoreError `KEYSTORE_ALIAS_NOT_FOUND`, or `KEYSTORE_BAD_PASSWORD` when the key password is wrong.
   */
  privateKey(alias?: string): KeyObject;
  /** @throws KeystoreError `KEYSTORE_ALIAS_NOT_FOUND` */
  certificate(alias: string): X509Certificate;
  /** @throws KeystoreError `KEYSTORE_ALIAS_NOT_FOUND` */
  certificatePem(alias: string): string;
  /** @throws KeystoreError `KEYSTORE_ALIAS_NOT_FOUND` */
  certificateChain(alias: string): X509Certificate[];
}

/** What a format reader produces; the chain is leaf first. */
export interface RawEntry {
  alias: string;
  kind: 'key' | 'cert';
  chain: X509Certificate[];
  key?: KeyObject;
  /** Set instead of `key` when this key entry could not be decrypted (another key password, say). */
  keyError?: KeystoreError;
}

/** The CN of an X.509 subject or issuer, or `undefined`. */
export function commonName(cert: X509Certificate): string | undefined {
  for (const line of cert.subject.split('\n')) {
    if (line.startsWith('CN=')) return line.slice(3);
  }
  return undefined;
}

/** The {@link KeystoreEntry} view of a raw entry (fingerprints, CN, expiry). */
export function describeEntry(raw: RawEntry): KeystoreEntry {
  const [leaf] = raw.chain as [X509Certificate];
  return {
    alias: raw.alias,
    kind: raw.kind,
    certificatePem: leaf.toString(),
    chainPem: raw.chain.map((c) => c.toString()),
    notAfter: new Date(leaf.validTo),
    subjectCN: commonName(leaf),
    sha1Fingerprint: leaf.fingerprint,
    sha256Fingerprint: leaf.fingerprint256,
  };
}

/**
 * Builds the {@link Keystore} view over entries read by one of the format readers.
 * @throws KeystoreError `KEYSTORE_ALIAS_NOT_FOUND` when `spec.alias` names no key entry,
 * or the `keyError` of that entry (wrong key password).
 */
export function keystoreFromEntries(spec: KeystoreSpec, raws: RawEntry[]): Keystore {
  const find = (alias: string): RawEntry => {
    const exact = raws.find((r) => r.alias === alias);
    const found = exact ?? raws.find((r) => r.alias.toLowerCase() === alias.toLowerCase());
    if (!found) {
      const known = raws.map((r) => r.alias).join(', ') || 'none';
      throw new KeystoreError('KEYSTORE_ALIAS_NOT_FOUND', spec.file, `no such entry (aliases: ${known})`, {
        alias,
      });
    }
    return found;
  };
  const keyOf = (alias: string): KeyObject => {
    const raw = find(alias);
    if (raw.key) return raw.key;
    if (raw.keyError) throw raw.keyError;
    throw new KeystoreError('KEYSTORE_ALIAS_NOT_FOUND', spec.file, 'entry is a certificate, not a key', {
      alias: raw.alias,
    });
  };
  const defaultKeyAlias = (): string => {
    if (spec.alias !== undefined) return spec.alias;
    const keys = raws.filter((r) => r.kind === 'key');
    if (keys.length === 1 && keys[0]) return keys[0].alias;
    const detail =
      keys.length === 0
        ? 'contains no private key entry'
        : `contains ${keys.length} key entries (${keys.map((k) => k.alias).join(', ')}); set an alias`;
    throw new KeystoreError('KEYSTORE_ALIAS_NOT_FOUND', spec.file, detail);
  };

  // Fail at load, not at first use, when the configured alias is wrong or its key cannot be decrypted.
  if (spec.alias !== undefined) keyOf(spec.alias);

  const described = raws.map(describeEntry);
  return {
    file: spec.file,
    type: spec.type,
    entries: () => described.map((e) => ({ ...e, chainPem: [...e.chainPem] })),
    privateKey: (alias) => keyOf(alias ?? defaultKeyAlias()),
    certificate: (alias) => find(alias).chain[0] as X509Certificate,
    certificatePem: (alias) => (find(alias).chain[0] as X509Certificate).toString(),
    certificateChain: (alias) => [...find(alias).chain],
  };
}
