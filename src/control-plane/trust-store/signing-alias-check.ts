import { X509Certificate } from 'node:crypto';

/**
 * What is wrong with the trust store for the API-key signer: gateways verify a JWT API key with the trust-store
 * certificate whose alias is its `kid` (the signer's alias), so a missing alias, or another certificate under it,
 * makes every issued JWT API key fail. Empty when all is well.
 * @example signingAliasWarnings({ gateway_certificate_alias: pem }, signer) // []
 */
export function signingAliasWarnings(
  trusted: Readonly<Record<string, string>>,
  signer: { readonly alias: string; readonly certificate: X509Certificate },
): string[] {
  // The gateway looks `kid` up exactly; the trust store itself is case-insensitive, so accept either.
  const entry =
    Object.entries(trusted).find(([alias]) => alias === signer.alias) ??
    Object.entries(trusted).find(([alias]) => alias.toLowerCase() === signer.alias.toLowerCase());
  if (entry === undefined) {
    return [
      `API-key signing alias "${signer.alias}" is not in the trust store: gateways refuse every JWT API key Portico issues (kid "${signer.alias}")`,
    ];
  }
  const [alias, pem] = entry;
  if (alias !== signer.alias) {
    return [
      `API-key signing alias "${signer.alias}" is in the trust store as "${alias}": gateways look kid "${signer.alias}" up exactly and refuse the keys`,
    ];
  }
  let same = false;
  try {
    same = new X509Certificate(pem).fingerprint256 === signer.certificate.fingerprint256;
  } catch {
    same = false;
  }
  if (!same) {
    return [
      `the trust store holds another certificate under the API-key signing alias "${signer.alias}": gateways refuse every JWT API key Portico issues`,
    ];
  }
  return [];
}
