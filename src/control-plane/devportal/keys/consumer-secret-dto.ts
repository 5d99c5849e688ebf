import type { ClientSecretInfo } from '../../../key-manager/index.js';

const seconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

/**
 * WSO2 `ConsumerSecret` (4.7). `secretValue` is the secret only when it was just created; otherwise it is masked
 * to its last 4 characters (`****ab1a`). Times are epoch seconds like WSO2's `expiresAt`; `expiresAt` null = never.
 * `state` and `graceExpiresAt` are Portico additions (rotation with grace). Wire contract: change
 * docs/wso2-compatibility.md and the client-secrets conformance test with it.
 */
export function consumerSecretDto(info: ClientSecretInfo, secret?: string) {
  return {
    secretId: info.secretId,
    secretValue: secret ?? `****${info.hint}`,
    additionalProperties: {
      description: info.description,
      createdTime: seconds(info.createdAt),
      expiresAt: seconds(info.expiresAt),
      state: info.state,
      ...(info.graceExpiresAt !== null ? { graceExpiresAt: seconds(info.graceExpiresAt) } : {}),
    },
  };
}
