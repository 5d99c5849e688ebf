import { createHash } from 'node:crypto';
import type { KeyObject, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { ORACLE_TRUSTED_KEY_USAGE_OID } from './read-pkcs12.js';

const { asn1, pki } = forge;
const { Class, Type } = asn1;
const ANY_EXTENDED_KEY_USAGE_OID = '2.5.29.37.0';
const ITERATIONS = 10_000;

/** A private key with its certificate chain (leaf first), stored under `alias`. */
export interface Pkcs12KeyEntry {
  alias: string;
  key: KeyObject;
  chain: X509Certificate[];
}

/** A trusted certificate stored under `alias`. */
export interface Pkcs12CertEntry {
  alias: string;
  cert: X509Certificate;
}

/**
 * Encodes a PKCS#12 file the way Java 17 keytool expects it: keys as PBES2 (PBKDF2-HmacSHA256, AES-256-CBC)
 * shrouded bags, cert bags with `friendlyName` = alias, trusted certificates tagged with Oracle's trusted-key-usage
 * attribute (without it keytool lists 0 entries), and an HmacSHA256 integrity MAC.
 */
export function writePkcs12(opts: {
  password: string;
  keys?: Pkcs12KeyEntry[];
  certs?: Pkcs12CertEntry[];
}): Buffer {
  const certBags: forge.asn1.Asn1[] = [];
  const keyBags: forge.asn1.Asn1[] = [];
  for (const entry of opts.keys ?? []) {
    const [leaf, ...cas] = entry.chain;
    if (!leaf) throw new Error(`key entry "${entry.alias}" needs a certificate`);
    // Java and OpenSSL both pair a key with its certificate by this id; the leaf's SHA-1 is the usual choice.
    const keyId = createHash('sha1').update(leaf.raw).digest();
    const attrs = [friendlyNameAttr(entry.alias), localKeyIdAttr(keyId)];
    certBags.push(certBag(leaf, attrs));
    for (const ca of cas) certBags.push(certBag(ca, []));
    const der = entry.key.export({ format: 'der', type: 'pkcs8' });
    const info = asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
    const encrypted = pki.encryptPrivateKeyInfo(info, opts.password, {
      algorithm: 'aes256',
      prfAlgorithm: 'sha256',
      count: ITERATIONS,
      saltSize: 16,
    } as Parameters<typeof pki.encryptPrivateKeyInfo>[2]);
    keyBags.push(safeBag(pki.oids.pkcs8ShroudedKeyBag as string, encrypted, attrs));
  }
  for (const entry of opts.certs ?? []) {
    certBags.push(certBag(entry.cert, [friendlyNameAttr(entry.alias), trustedKeyUsageAttr()]));
  }

  const contents = [certBags, keyBags]
    .filter((bags) => bags.length > 0)
    .map((bags) => dataContentInfo(seq(bags)));
  const authSafe = seq(contents);
  const authSafeDer = asn1.toDer(authSafe).getBytes();

  const salt = forge.random.getBytesSync(20);
  const md = forge.md.sha256.create();
  const macKey = forge.pkcs12.generateKey(
    opts.password,
    forge.util.createBuffer(salt),
    3,
    ITERATIONS,
    32,
    md,
  );
  const hmac = forge.hmac.create();
  hmac.start(md, macKey);
  hmac.update(authSafeDer);
  const macData = seq([
    seq([
      seq([oid(pki.oids.sha256 as string), asn1.create(Class.UNIVERSAL, Type.NULL, false, '')]),
      octets(hmac.digest().getBytes()),
    ]),
    octets(salt),
    asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(ITERATIONS).getBytes()),
  ]);
  const pfx = seq([
    asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(3).getBytes()),
    dataContentInfo(authSafe),
    macData,
  ]);
  return Buffer.from(asn1.toDer(pfx).getBytes(), 'binary');
}

function seq(items: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
}

function set(items: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.SET, true, items);
}

function oid(id: string): forge.asn1.Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(id).getBytes());
}

function octets(bytes: string): forge.asn1.Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, bytes);
}

function explicit0(item: forge.asn1.Asn1): forge.asn1.Asn1 {
  return asn1.create(Class.CONTEXT_SPECIFIC, 0, true, [item]);
}

function dataContentInfo(content: forge.asn1.Asn1): forge.asn1.Asn1 {
  return seq([oid(pki.oids.data as string), explicit0(octets(asn1.toDer(content).getBytes()))]);
}

function safeBag(bagId: string, value: forge.asn1.Asn1, attrs: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  const parts = [oid(bagId), explicit0(value)];
  if (attrs.length > 0) parts.push(set(attrs));
  return seq(parts);
}

function certBag(cert: X509Certificate, attrs: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  const value = seq([
    oid(pki.oids.x509Certificate as string),
    explicit0(octets(cert.raw.toString('binary'))),
  ]);
  return safeBag(pki.oids.certBag as string, value, attrs);
}

function friendlyNameAttr(alias: string): forge.asn1.Asn1 {
  const name = asn1.create(Class.UNIVERSAL, Type.BMPSTRING, false, alias);
  return seq([oid(pki.oids.friendlyName as string), set([name])]);
}

function localKeyIdAttr(id: Buffer): forge.asn1.Asn1 {
  return seq([oid(pki.oids.localKeyId as string), set([octets(id.toString('binary'))])]);
}

function trustedKeyUsageAttr(): forge.asn1.Asn1 {
  return seq([oid(ORACLE_TRUSTED_KEY_USAGE_OID), set([oid(ANY_EXTENDED_KEY_USAGE_OID)])]);
}
