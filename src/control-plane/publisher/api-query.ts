/**
 * Matches WSO2-style search queries: `name:pizza`, `context:/pizza`, `version:`, `provider:`, `status:`, `tag:`,
 * or free words (searched in name, context, description, provider and tags), case-insensitive, all terms must match.
 */
export function matchesQuery(
  query: string | undefined,
  fields: {
    name: string;
    context: string;
    version: string;
    provider: string;
    status: string;
    description: string;
    tags: readonly string[];
  },
): boolean {
  const terms = (query ?? '').trim().toLowerCase().split(/\s+/).filter(Boolean);
  return terms.every((term) => {
    const colon = term.indexOf(':');
    const key = colon > 0 ? term.slice(0, colon) : '';
    const value = colon > 0 ? term.slice(colon + 1) : term;
    const has = (s: string) => s.toLowerCase().includes(value);
    switch (key) {
      case 'name':
        return has(fields.name);
      case 'context':
        return has(fields.context);
      case 'version':
        return has(fields.version);
      case 'provider':
        return has(fields.provider);
      case 'status':
      case 'lifecyclestatus':
        return fields.status.toLowerCase() === value;
      case 'tag':
      case 'tags':
        return fields.tags.some((t) => t.toLowerCase() === value);
      case 'description':
        return has(fields.description);
      default:
        return [fields.name, fields.context, fields.description, fields.provider, ...fields.tags].some((s) =>
          s.toLowerCase().includes(term),
        );
    }
  });
}
