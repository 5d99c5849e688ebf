/** WSO2's version placeholder in an API context template (`/{version}/pizzashack`, `/pizzashack/{version}`). */
export const VERSION_PLACEHOLDER = '{version}';

/**
 * The path an API is served on at the gateway (WSO2 `API.context` from `contextTemplate`): the context with its
 * `{version}` segment replaced by the version, or `/{context}/{version}` when the context has no placeholder
 * (WSO2 appends one). A context ending in `/{version}` is therefore the same as the context without it.
 * @example gatewayPathOf('/{version}/pizzashack', '1.0.0') === '/1.0.0/pizzashack'
 * @example gatewayPathOf('/pizzashack', '1.0.0') === '/pizzashack/1.0.0'
 */
export function gatewayPathOf(context: string, version: string): string {
  const c = (context.startsWith('/') ? context : `/${context}`).replace(/\/+$/, '');
  const at = c.indexOf(`/${VERSION_PLACEHOLDER}`);
  if (at < 0) return `${c}/${version}`;
  return `${c.slice(0, at)}/${version}${c.slice(at + VERSION_PLACEHOLDER.length + 1)}`;
}
