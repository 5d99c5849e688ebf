import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { KeystoreError } from './keystore-error.js';
import type { KeystoreSpec, RawEntry } from './keystore.js';

/** OID of Java's "trusted key usage" bag attribute: it marks a PKCS#12 cert bag as a trusted certificate entry. */
export const ORACLE_TRUSTED_KEY_USAGE_OID = '2.16.840.1.113894.746875.1.1';

type Bag = forge.pkcs12.Bag & { asn1?: forge.asn1.Asn1 };

const BAD_PASSWORD = /MAC could not be verified|Invalid password|wrong password|Unable to decrypt/i;

/**
 * Reads a PKCS#12 file with node-forge (Java 17's AES-256/HmacSHA256 files, OpenSSL's and ours).
 * Key bags become key entries (chain: the cert bag with the same localKeyId first, then the unlabelled CA certs);
 * other labelled cert bags become trusted-certificate entries. The alias is the bag's friendlyName.
 * @throws KeystoreError `KEYSTORE_BAD_PASSWORD`, `KEYSTORE_UNREADABLE`
 */
export function readPkcs12(buf: Buffer, spec: KeystoreSpec): RawEntry[] {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(buf.toString('binary')), false);
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, spec.password);
  } catch (err) {
    if (err instanceof Error && BAD_PASSWORD.test(err.message)) {
      throw new KeystoreError('KEYSTORE_BAD_PASSWORD', spec.file, 'wrong keystore password', { cause: err });
    }
    throw new KeystoreError('KEYSTORE_UNREADABLE', spec.file, 'not a valid PKCS#12 file', { cause: err });
  }
  const bags: Bag[] = p12.safeContents.flatMap((sc) => sc.safeBags as Bag[]);
  const keyBags = bags.filter(
    (b) => b.type === forge.pki.oids.pkcs8ShroudedKeyBag || b.type === forge.pki.oids.keyBag,
  );
  const certBags = bags.filter((b) => b.type === forge.pki.oids.certBag);
  const used = new Set<Bag>();
  const out: RawEntry[] = [];

  keyBags.forEach((kb, i) => {
    const alias = friendlyName(kb) ?? `key-${i + 1}`;
    const id = localKeyId(kb);
    const leaf = certBags.find((cb) => id !== undefined && localKeyId(cb) === id);
    if (!leaf) {
      throw new KeystoreError('KEYSTORE_UNREADABLE', spec.file, 'key entry has no certificate', { alias });
    }
    used.add(leaf);
    // Unlabelled, untrusted cert bags are the CA part of a key's chain (Java and OpenSSL both write them so).
    const cas = certBags.filter((cb) => !isTrustedEntry(cb) && localKeyId(cb) === undefined);
    cas.forEach((cb) => used.add(cb));
    const chain = [leaf, ...(keyBags.length === 1 ? cas : [])].map((cb) => certOf(cb, spec, alias));
    out.push({ alias, kind: 'key', chain, key: keyOf(kb, spec, alias) });
  });

  certBags.forEach((cb, i) => {
    if (used.has(cb)) return;
    const alias = friendlyName(cb) ?? `cert-${i + 1}`;
    out.push({ alias, kind: 'cert', chain: [certOf(cb, spec, alias)] });
  });
  return out;
}

function attr(bag: Bag, name: string): unknown[] | undefined {
  const attrs = bag.attributes as Record<string, unknown[] | undefined>;
  return attrs[name];
}

function friendlyName(bag: Bag): string | undefined {
  const v = attr(bag, 'friendlyName')?.[0];
  return typeof v === 'string' ? v : undefined;
}

function localKeyId(bag: Bag): string | undefined {
  const v = attr(bag, 'localKeyId')?.[0];
  return typeof v === 'string' ? forge.util.bytesToHex(v) : undefined;
}

function isTrustedEntry(bag: Bag): boolean {
  // forge keeps unknown attributes under their OID.
  return attr(bag, ORACLE_TRUSTED_KEY_USAGE_OID) !== undefined || friendlyName(bag) !== undefined;
}

function derOf(asn1: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

function certOf(bag: Bag, spec: KeystoreSpec, alias: string): X509Certificate {
  try {
    const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
    if (!asn1) throw new Error('empty certificate bag');
    return new X509Certificate(derOf(asn1));
  } catch (err) {
    throw new KeystoreError('KEYSTORE_UNREADABLE', spec.file, 'the certificate cannot be parsed', {
      alias,
      cause: err,
    });
  }
}

function keyOf(bag: Bag, spec: KeystoreSpec, alias: string): KeyObject {
  try {
    // forge decodes RSA keys only; other key types (EC) arrive as their PrivateKeyInfo ASN.1.
    const info = bag.key
      ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key as forge.pki.rsa.PrivateKey))
      : bag.asn1;
    if (!info) throw new Error('empty key bag');
    return createPrivateKey({ key: derOf(info), format: 'der', type: 'pkcs8' });
  } catch (err) {
    throw new KeystoreError('KEYSTORE_UNREADABLE', spec.file, 'the private key cannot be parsed', {
      alias,
      cause: err,
    });
  }
}
