import { dcrConnector } from './dcr-connector.js';
import type { KeyManagerConnector } from './key-manager-connector.js';
import type { KeyManagerDefinition } from './key-manager-definition.js';
import { oktaConnector } from './okta-connector.js';

/** The connector of a key manager definition (Okta's client API, else RFC 7591 DCR). Never fails. */
export function connectorFor(def: KeyManagerDefinition): KeyManagerConnector {
  return def.type === 'Okta' ? oktaConnector(def) : dcrConnector(def);
}
