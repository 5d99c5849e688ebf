import { RestError } from '../../../core/index.js';
import { isInert, type FieldSupport } from '../../http/unsupported-fields.js';

/** The endpoint URL fields Portico stores; WSO2's `endpoints` list may restate them. */
const ENDPOINT_FIELDS = [
  'wellKnownEndpoint',
  'clientRegistrationEndpoint',
  'introspectionEndpoint',
  'tokenEndpoint',
  'revokeEndpoint',
  'userInfoEndpoint',
  'authorizeEndpoint',
] as const;

/**
 * WSO2's `endpoints` (`[{name, value}]`) says nothing Portico drops when it is empty or only restates URLs the body
 * sets in the endpoint fields Portico stores.
 */
function restatesEndpoints(v: unknown, body: Record<string, unknown>): boolean {
  if (isInert(v)) return true;
  if (!Array.isArray(v)) return false;
  const known = new Set(ENDPOINT_FIELDS.map((f) => body[f]).filter((u) => typeof u === 'string' && u !== ''));
  return v.every(
    (e) => typeof e === 'object' && e !== null && known.has((e as Record<string, unknown>).value),
  );
}

/**
 * The fields of WSO2's Admin v4 `KeyManager` body: `writable` are those Portico stores (the request schema's
 * properties); the WSO2 fields it does not store are accepted only with a value that means "not used"
 * (`enableTokenEncryption: false`, no `scopeManagementEndpoint`, ...), and a field that is no field of WSO2's DTO
 * is refused, so nothing sent is silently dropped.
 */
export function keyManagerFieldSupport(writable: readonly string[]): FieldSupport {
  return {
    resource: 'key manager',
    writable,
    readOnly: new Set(['id']),
    unsupported: {
      displayTokenEndpoint: isInert,
      displayRevokeEndpoint: isInert,
      scopeManagementEndpoint: isInert,
      enableTokenEncryption: isInert,
      enableTokenHashing: isInert,
      allowedOrganizations: isInert,
      endpoints: restatesEndpoints,
    },
  };
}

/** The WSO2 `KeyManager` settings whose values need something Portico does not do (docs/wso2-compatibility.md). */
interface KeyManagerSettings {
  tokenType?: string | null;
  tokenValidation?: readonly { enable?: boolean; type: string }[] | null;
}

/**
 * Refuses the key-manager settings Portico does not act on, naming each, so none is stored and silently ignored:
 * - `tokenType` `EXCHANGED` or `BOTH`: WSO2 then registers the provider as an identity provider of its resident key
 *   manager for the token-exchange grant (and, for `EXCHANGED`, keeps it off the gateways); Portico does no token
 *   exchange. `DIRECT` (the default) is what Portico does.
 * - an enabled `tokenValidation` entry (WSO2's default for `enable` is true): WSO2 elects by these entries the key
 *   manager that validates a token on its key-validation path (opaque tokens, JWTs of a manager that does not self-validate them);
 *   Portico's gateway validates external tokens only as JWTs, by issuer, where WSO2 does not read them either.
 *   Disabled entries are accepted and returned as sent.
 * `alias` and `global` are accepted: `alias` only names the identity provider of token exchange, and `global` only
 * shares a manager across tenants, of which Portico has one.
 * @throws RestError UNSUPPORTED_FIELD listing every refused setting
 */
export function refuseUnsupportedKeyManagerSettings(body: KeyManagerSettings): void {
  const problems: string[] = [];
  if (body.tokenType === 'EXCHANGED' || body.tokenType === 'BOTH') {
    problems.push(
      `tokenType ${body.tokenType} is not supported by Portico (it does no token exchange); send DIRECT`,
    );
  }
  (body.tokenValidation ?? []).forEach((entry, i) => {
    if (entry.enable === false) return;
    problems.push(
      `tokenValidation[${i}] (${entry.type}) is enabled: Portico does not elect key managers by token ` +
        'handling entries (it finds the key manager of a JWT by its issuer); send it with enable false or leave it out',
    );
  });
  if (problems.length > 0) {
    throw new RestError(
      'UNSUPPORTED_FIELD',
      problems.join('; '),
      problems.map((message) => ({ code: 'UNSUPPORTED_FIELD', message })),
    );
  }
}
