import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';
import type { Keystore } from './keystore.js';
import { keystoreFromEntries } from './keystore.js';
import { assertAbsent } from './trust-store.js';
import { writeFileAtomic } from './write-file-atomic.js';
import { writePkcs12 } from './write-pkcs12.js';

const VALIDITY_YEARS = 10;

/** Options of {@link createPrimaryKeystore}. */
export interface PrimaryKeystoreOptions {
  /** Absolute path of the PKCS#12 file to create; it must not exist. */
  file: string;
  password: string;
  /** Alias of the key entry (WSO2's default is `wso2carbon`). */
  alias: string;
  /** Host name for the CN and the first DNS (or IP) subject alternative name. */
  hostname: string;
  /** Start of validity; defaults to now. */
  now?: Date;
}

/**
 * Creates the primary keystore on first start: an RSA-2048 key and a self-signed SHA-256 certificate
 * (CN = hostname; SANs hostname, localhost, 127.0.0.1; valid 10 years) in a PKCS#12 file that Java's
 * keytool reads. The file is written atomically with mode 0600.
 * @throws KeystoreError `KEYSTORE_EXISTS` when the file is already there
 * @example
 * const ks = await createPrimaryKeystore({ file, password: 'wso2carbon', alias: 'wso2carbon', hostname: 'localhost' });
 */
export async function createPrimaryKeystore(opts: PrimaryKeystoreOptions): Promise<Keystore> {
  await assertAbsent(opts.file);
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = selfSignedCertificate({
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs1' }) as string,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }) as string,
    hostname: opts.hostname,
    now: opts.now ?? new Date(),
  });
  const der = writePkcs12({
    password: opts.password,
    keys: [{ alias: opts.alias, key: privateKey, chain: [cert] }],
  });
  await writeFileAtomic(opts.file, der);
  return keystoreFromEntries(
    { file: opts.file, type: 'PKCS12', password: opts.password, alias: opts.alias },
    [{ alias: opts.alias, kind: 'key', chain: [cert], key: privateKey }],
  );
}

function selfSignedCertificate(o: {
  privateKeyPem: string;
  publicKeyPem: string;
  hostname: string;
  now: Date;
}): X509Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(o.publicKeyPem);
  const serial = randomBytes(16);
  // A positive INTEGER without a leading zero byte.
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  cert.serialNumber = serial.toString('hex');
  // Backdate a little so a peer with a slow clock accepts it right away.
  cert.validity.notBefore = new Date(o.now.getTime() - 60_000);
  const notAfter = new Date(o.now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  cert.validity.notAfter = notAfter;
  const name = [{ name: 'commonName', value: o.hostname }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    { name: 'subjectAltName', altNames: altNames(o.hostname) },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(o.privateKeyPem), forge.md.sha256.create());
  return new X509Certificate(
    Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'),
  );
}

function altNames(hostname: string): Array<{ type: number; value?: string; ip?: string }> {
  const names: Array<{ type: number; value?: string; ip?: string }> = [];
  const add = (h: string): void => {
    const ip = isIP(h) !== 0;
    if (names.some((n) => (ip ? n.ip : n.value) === h)) return;
    names.push(ip ? { type: 7, ip: h } : { type: 2, value: h });
  };
  add(hostname);
  add('localhost');
  add('127.0.0.1');
  return names;
}
