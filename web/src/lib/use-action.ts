import { useCallback, useRef, useState } from 'react';
import { errorText } from './api';

/** "Call the API, show busy, show the error or what was done" for one page or panel. */
export interface Action {
  /** The id of the call under way (a row's `id:label`, or a name such as `new`), or null. */
  busy: string | null;
  error: string | null;
  /** What the last call did, to show as a success message. */
  done: string | null;
  /**
   * Clears both messages, marks `id` busy and runs `work`; its answer (if a string) becomes `done`, what it throws
   * becomes `error`. Resolves to whether it succeeded.
   */
  run(id: string, work: () => Promise<string | void>): Promise<boolean>;
  /** Shows an error without running anything (a check that failed before the call). */
  fail(message: string): void;
}

/** One {@link Action}; `onSuccess` (usually a list's reload) runs after every call that succeeded. */
export function useAction(onSuccess?: () => void, initialDone: string | null = null): Action {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(initialDone);
  const after = useRef(onSuccess);
  after.current = onSuccess;
  const run = useCallback(async (id: string, work: () => Promise<string | void>) => {
    setBusy(id);
    setError(null);
    setDone(null);
    try {
      const message = await work();
      if (typeof message === 'string') setDone(message);
      after.current?.();
      return true;
    } catch (err) {
      setError(errorText(err));
      return false;
    } finally {
      setBusy(null);
    }
  }, []);
  const fail = useCallback((message: string) => {
    setDone(null);
    setError(message);
  }, []);
  return { busy, error, done, run, fail };
}
