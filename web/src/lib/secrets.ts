/**
 * Tokens and API keys generated in this page, kept in memory only (never localStorage or sessionStorage), so the
 * try-it console can offer them. Gone on reload.
 */
export interface RememberedCredential {
  label: string;
  kind: 'oauth2' | 'apikey';
  keyType: 'PRODUCTION' | 'SANDBOX';
  value: string;
}

const remembered: RememberedCredential[] = [];

export function rememberCredential(c: RememberedCredential): void {
  remembered.unshift(c);
  if (remembered.length > 20) remembered.pop();
}

export function rememberedCredentials(): readonly RememberedCredential[] {
  return remembered;
}
