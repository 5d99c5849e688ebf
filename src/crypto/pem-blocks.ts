/** One `-----BEGIN LABEL-----` block of a PEM file, with the `# alias: NAME` comment that preceded it, if any. */
export interface PemBlock {
  label: string;
  /** The whole block, BEGIN and END lines included, normalised to `\n` line ends. */
  pem: string;
  der: Buffer;
  aliasComment: string | undefined;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
const ALIAS_COMMENT = /^#\s*alias:\s*(.+?)\s*$/gm;

/** Splits PEM text into its blocks (certificates, keys, ...), in file order. */
export function parsePemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let last = 0;
  for (const m of text.matchAll(BLOCK)) {
    const label = m[1] ?? '';
    const body = m[2] ?? '';
    const between = text.slice(last, m.index);
    let aliasComment: string | undefined;
    for (const c of between.matchAll(ALIAS_COMMENT)) aliasComment = c[1];
    last = m.index + m[0].length;
    // Encrypted PKCS#1 keys carry `Proc-Type`/`DEK-Info` headers; keep them in `pem`, drop them from `der`.
    const base64 = body
      .split(/\r?\n/)
      .filter((l) => !l.includes(':'))
      .join('');
    blocks.push({
      label,
      pem: m[0].replace(/\r\n/g, '\n') + '\n',
      der: Buffer.from(base64, 'base64'),
      aliasComment,
    });
  }
  return blocks;
}

/** Wraps DER bytes as a PEM block (64-column base64, trailing newline). */
export function derToPem(der: Buffer, label = 'CERTIFICATE'): string {
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}
