/**
 * The query string without any `apikey` parameter (however its value is encoded): the proxy removes the key from
 * every request it forwards to an API that enables API keys, so an upstream never sees a caller's credential.
 */
export function stripApiKeyParam(query: string): string {
  if (!query.includes('apikey')) return query;
  return query
    .split('&')
    .filter((part) => part !== 'apikey' && !part.startsWith('apikey='))
    .join('&');
}
