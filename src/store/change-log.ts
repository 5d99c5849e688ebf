import type { Transaction } from 'kysely';
import type { Clock, ChangeRecord } from '../core/index.js';
import { changesRepository } from './changes-repository.js';
import type { Store } from './open-store.js';
import type { Database } from './schema.js';

/** Collects what a write changes, inside its transaction. */
export type RecordChange = (change: ChangeRecord) => void;

/**
 * The one write path of the control plane: a transaction whose changes are appended to the change log
 * (the transactional outbox) in the same transaction, then announced after the commit. Nothing here waits on
 * Redis or on gateways: the change feed publishes what was committed, in the background.
 */
export interface ChangeLog {
  /**
   * Runs `fn` in a transaction; the changes it records are committed with it. Resolves after the commit with
   * `fn`'s result; `versions` are the change versions the write created (empty when it recorded none).
   */
  write<T>(fn: (trx: Transaction<Database>, record: RecordChange) => Promise<T>): Promise<T>;
  /** Like {@link write}, and also returns the versions created (a revoke answers with its version). */
  writeVersioned<T>(
    fn: (trx: Transaction<Database>, record: RecordChange) => Promise<T>,
  ): Promise<{ result: T; versions: number[] }>;
  /** Called after every commit that recorded changes (the change feed relays them at once). */
  onCommitted(listener: (versions: readonly number[]) => void): () => void;
}

/** @example const log = createChangeLog(store, clock); await log.write(async (trx, record) => { ...; record({ kind: 'application', key: '42' }); }); */
export function createChangeLog(store: Store, clock: Clock): ChangeLog {
  const listeners = new Set<(versions: readonly number[]) => void>();
  const writeVersioned: ChangeLog['writeVersioned'] = async (fn) => {
    const { result, versions } = await store.transaction(async (trx) => {
      const records: ChangeRecord[] = [];
      const seen = new Set<string>();
      const result = await fn(trx, (c) => {
        const id = `${c.kind}\u0000${c.key}`;
        if (!seen.has(id)) {
          seen.add(id);
          records.push(c);
        }
      });
      const versions = await changesRepository(trx, store.dialect).append(records, clock.now());
      return { result, versions };
    });
    if (versions.length > 0) {
      for (const l of listeners) {
        try {
          l(versions);
        } catch {
          // A listener's failure is its own (the change feed logs); the write has committed.
        }
      }
    }
    return { result, versions };
  };
  return {
    writeVersioned,
    write: async (fn) => (await writeVersioned(fn)).result,
    onCommitted(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
