import type { PermitGrant, PermitRequest, PermitSource } from '../handlers/throttling/permit-source.js';
import type { FromWorker } from './worker-protocol.js';

/** A request the primary has not answered within this time fails (the lease counter retries later). */
const ANSWER_TIMEOUT_MS = 2000;

/**
 * The permit source of a worker: leases come from the primary process over IPC, which hands them out from the
 * gateway's store (Redis, or in memory), so every worker of a gateway shares each quota.
 */
export class IpcPermitSource implements PermitSource {
  readonly #send: (m: FromWorker) => void;
  readonly #waiting = new Map<number, { resolve: (g: PermitGrant) => void; reject: (e: Error) => void }>();
  #next = 1;

  constructor(send: (m: FromWorker) => void) {
    this.#send = send;
  }

  acquire(req: PermitRequest): Promise<PermitGrant> {
    const id = this.#next++;
    return new Promise<PermitGrant>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error('permit request not answered by the primary'));
      }, ANSWER_TIMEOUT_MS);
      timer.unref();
      this.#waiting.set(id, {
        resolve: (g) => (clearTimeout(timer), resolve(g)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.#send({ t: 'permitAcquire', id, req });
    });
  }

  release(key: string, windowStart: number, windowMs: number, count: number): void {
    this.#send({ t: 'permitRelease', key, windowStart, windowMs, count });
  }

  /** Delivers the primary's answer (null = the primary's store failed). */
  answer(id: number, grant: PermitGrant | null): void {
    const w = this.#waiting.get(id);
    if (w === undefined) return;
    this.#waiting.delete(id);
    if (grant === null) w.reject(new Error('the primary could not lease permits'));
    else w.resolve(grant);
  }
}
