/**
 * Domain events published by the control plane after a commit, consumed by gateways and other control planes.
 * Wire contract (they cross Redis when scaled out): add types, never change a payload's meaning.
 */
export type PorticoEventType =
  | 'api.deployed'
  | 'api.updated'
  | 'api.undeployed'
  | 'application.changed'
  | 'keymapping.changed'
  | 'subscription.changed'
  | 'policy.changed'
  | 'token.revoked'
  | 'apikey.revoked'
  | 'keymanager.changed'
  | 'truststore.changed'
  /** A control plane finished a snapshot (payload: {version}); gateways fetch it when newer than theirs. */
  | 'snapshot.ready';

export interface PorticoEvent {
  readonly type: PorticoEventType;
  /** Monotonic per control-plane store; gateways resync on a gap. */
  readonly version?: number;
  readonly at: number;
  readonly payload: Readonly<Record<string, unknown>>;
}
