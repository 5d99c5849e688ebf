import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { basename, extname } from 'node:path';
import { KeystoreError } from './keystore-error.js';
import type { KeystoreSpec, RawEntry } from './keystore.js';
import { commonName } from './keystore.js';
import { parsePemBlocks } from './pem-blocks.js';
import type { PemBlock } from './pem-blocks.js';

const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);

/**
 * Reads a PEM keystore: either one private key with its certificate chain (concatenated, any order; the leaf is
 * the certificate that matches the key) or a certificate-only bundle (a trust store).
 * Aliases: a `# alias: NAME` comment line before a block wins; then `spec.alias` for the key entry (or the file
 * name without extension); then a certificate's subject CN, made unique with `-2`, `-3`...
 * @throws KeystoreError `KEYSTORE_BAD_PASSWORD` (encrypted key), `KEYSTORE_UNREADABLE`
 */
export function readPem(buf: Buffer, spec: KeystoreSpec): RawEntry[] {
  const blocks = parsePemBlocks(buf.toString('utf8'));
  const keyBlocks = blocks.filter((b) => KEY_LABELS.has(b.label));
  const certBlocks = blocks.filter((b) => b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE');
  if (keyBlocks.length > 1) {
    throw new KeystoreError('KEYSTORE_UNREADABLE', spec.file, 'a PEM keystore may hold only one private key');
  }
  if (certBlocks.length === 0) {
    throw new KeystoreError('KEYSTORE_UNREADABLE', spec.file, 'no certificate found in the PEM file');
  }
  const certs = certBlocks.map((b, i) => ({ block: b, cert: parseCert(b, spec, i) }));
  const [keyBlock] = keyBlocks;

  if (keyBlock) {
    const alias = keyBlock.aliasComment ?? spec.alias ?? basename(spec.file, extname(spec.file));
    const key = parseKey(keyBlock, spec, alias);
    const leafIndex = certs.findIndex((c) => c.cert.checkPrivateKey(key));
    if (leafIndex < 0) {
      throw new KeystoreError('KEYSTORE_UNREADABLE', spec.file, 'no certificate matches the private key', {
        alias,
      });
    }
    const leaf = certs[leafIndex] as (typeof certs)[number];
    const chain = [leaf.cert, ...certs.filter((_, i) => i !== leafIndex).map((c) => c.cert)];
    return [{ alias, kind: 'key', chain, key }];
  }

  const seen = new Set<string>();
  return certs.map(({ block, cert }, i): RawEntry => {
    const base = block.aliasComment ?? commonName(cert) ?? `cert-${i + 1}`;
    let alias = base;
    for (let n = 2; seen.has(alias.toLowerCase()); n++) alias = `${base}-${n}`;
    seen.add(alias.toLowerCase());
    return { alias, kind: 'cert', chain: [cert] };
  });
}

function parseCert(block: PemBlock, spec: KeystoreSpec, index: number): X509Certificate {
  try {
    return new X509Certificate(block.der);
  } catch (err) {
    const detail = `certificate #${index + 1} cannot be parsed`;
    throw new KeystoreError('KEYSTORE_UNREADABLE', spec.file, detail, { cause: err });
  }
}

function parseKey(block: PemBlock, spec: KeystoreSpec, alias: string): KeyObject {
  const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || block.pem.includes('Proc-Type: 4,ENCRYPTED');
  try {
    return createPrivateKey(
      encrypted ? { key: block.pem, passphrase: spec.keyPassword ?? spec.password } : { key: block.pem },
    );
  } catch (err) {
    if (encrypted) {
      throw new KeystoreError('KEYSTORE_BAD_PASSWORD', spec.file, 'cannot decrypt the private key', {
        alias,
        cause: err,
      });
    }
    throw new KeystoreError('KEYSTORE_UNREADABLE', spec.file, 'the private key cannot be parsed', {
      alias,
      cause: err,
    });
  }
}
