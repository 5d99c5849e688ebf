import { useState } from 'react';
import { rememberCredential } from '../lib/secrets';
import type { KeyType } from './types';

/** What a generate or regenerate operation answers: the new key, shown once. */
export interface NewApiKeyResponse {
  apikey: string;
  keyName?: string;
}

/**
 * The key a generate or regenerate dialog has just issued: `issued` shows it (once), remembers it in this page's
 * credentials for the try-it console (named by `owner`) and calls `onIssued`; `clear` forgets it when the dialog closes.
 */
export function useIssuedApiKey(owner: string, onIssued: () => void) {
  const [key, setKey] = useState<string | null>(null);
  const issued = (r: NewApiKeyResponse, keyType: KeyType) => {
    setKey(r.apikey);
    rememberCredential({
      label: `${owner} API key${r.keyName ? ` ${r.keyName}` : ''}`,
      kind: 'apikey',
      keyType,
      value: r.apikey,
    });
    onIssued();
  };
  return { key, issued, clear: () => setKey(null) };
}
