import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, AUTH, onUnauthorized } from './api';

/** The signed-in user as `GET /api/am/auth/session` returns it. */
export interface SessionUser {
  username: string;
  roles: string[];
  scopes: string[];
}

interface SessionState {
  /** undefined while the session is being checked; null when signed out. */
  user: SessionUser | null | undefined;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** Holds the browser session (cookie based: no token is ever stored by the page). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  const refresh = useCallback(async () => {
    try {
      setUser(await api<SessionUser>('GET', `${AUTH}/session`));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setUser(null);
      else throw err;
    }
  }, []);
  useEffect(() => {
    refresh().catch(() => setUser(null));
    return onUnauthorized(() => setUser(null));
  }, [refresh]);
  const signIn = useCallback(
    async (username: string, password: string) => {
      await api('POST', `${AUTH}/login`, { username, password });
      await refresh();
    },
    [refresh],
  );
  const signOut = useCallback(async () => {
    try {
      await api('POST', `${AUTH}/logout`);
    } finally {
      setUser(null);
    }
  }, []);
  return (
    <SessionContext.Provider value={{ user, signIn, signOut, refresh }}>{children}</SessionContext.Provider>
  );
}

/** The session of the page. */
export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
