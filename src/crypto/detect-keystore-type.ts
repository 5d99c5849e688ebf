/** The keystore formats Portico reads. */
export type KeystoreType = 'PKCS12' | 'JKS' | 'PEM';

/** What the first bytes of a keystore file say it is; `JCEKS` and `unknown` are not loadable. */
export type DetectedKeystoreType = KeystoreType | 'JCEKS' | 'unknown';

/**
 * Tells the format of a keystore file from its magic bytes: `FEEDFEED` is JKS, `CECECECE` is JCEKS, a DER
 * SEQUENCE (`0x30`) is PKCS#12 and text that contains `-----BEGIN ` is PEM (comment lines such as
 * `# alias: x` may come first).
 */
export function detectKeystoreType(buf: Buffer): DetectedKeystoreType {
  if (buf.length >= 4) {
    const magic = buf.readUInt32BE(0);
    if (magic === 0xfeedfeed) return 'JKS';
    if (magic === 0xcececece) return 'JCEKS';
  }
  if (buf.length >= 2 && buf[0] === 0x30) return 'PKCS12';
  const head = buf.subarray(0, 64 * 1024).toString('latin1');
  if (head.includes('-----BEGIN ')) return 'PEM';
  return 'unknown';
}
