// Minimal typings for the parts of oidc-provider 9 (untyped JavaScript) the external key-manager tests use.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface ProviderAdapter {
    find(id: string): Promise<Record<string, unknown> | undefined>;
    upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void>;
    destroy(id: string): Promise<void>;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Record<string, unknown>);
    readonly issuer: string;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
    readonly Client: { readonly adapter: ProviderAdapter };
  }
}
