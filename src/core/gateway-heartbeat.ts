/**
 * What a gateway tells the control plane every few seconds (`POST /internal/data/v1/gateways/heartbeat`), so the
 * control plane knows which gateways exist and which change version each has applied ("a revocation is enforced
 * on N of M gateways"). Wire contract between gateways and control planes: add fields, never change a meaning.
 */
export interface GatewayHeartbeat {
  /** Stable per gateway home (a UUID kept under the home). */
  readonly id: string;
  /** How operators reach it (its public gateway URL, or host:port). */
  readonly address: string;
  readonly softwareVersion: string;
  /** The change-log version the gateway serves (every change up to it is enforced). */
  readonly appliedVersion: number;
  /** When it applied `appliedVersion` (epoch ms, the gateway's clock). */
  readonly appliedAt: number;
  /** `live`: following a control plane; `cache`: serving its persisted snapshot, no control plane reached yet. */
  readonly source: 'live' | 'cache';
  /** Process start (epoch ms). */
  readonly startedAt: number;
}

/** The control plane's answer to a heartbeat: the change log's head, so the gateway knows its lag. */
export interface GatewayHeartbeatReply {
  readonly head: number;
}
