import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from './api.ts';
import { usableSession } from './session.ts';
import { readCached, type Session, writeCached } from './store.ts';

export interface Loaded<T> {
  data: T | undefined;
  fetchedAt: number | undefined;
  /** True while the shown data came from the phone's memory, not a fresh fetch. */
  fromCache: boolean;
  loading: boolean;
  error: ApiError | undefined;
  reload: () => void;
}

/**
 * Shows what the phone remembers at once (so the screen works offline), then asks the API
 * and remembers the answer. A refusal or lost connection keeps the remembered data visible.
 */
export function useRemembered<T>(key: string, path: string, session: Session | undefined): Loaded<T> {
  const [state, setState] = useState<Omit<Loaded<T>, 'reload'>>({
    data: undefined,
    fetchedAt: undefined,
    fromCache: true,
    loading: true,
    error: undefined,
  });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let cancelled = false;
    // Another list (e.g. another category): never show the previous one as if it were this.
    setState({ data: undefined, fetchedAt: undefined, fromCache: true, loading: true, error: undefined });
    const update = (patch: Partial<Omit<Loaded<T>, 'reload'>>) => {
      if (!cancelled) setState((previous) => ({ ...previous, ...patch }));
    };
    (async () => {
      const cached = await readCached<T>(key);
      if (cached) update({ data: cached.data, fetchedAt: cached.fetchedAt, fromCache: true });
      try {
        const current = await usableSession(session);
        if (!current) {
          update({ loading: false, error: new ApiError(401, 'SESSION_ENDED', '') });
          return;
        }
        const data = await api<T>(path, { token: current.token });
        await writeCached(key, data);
        update({ data, fetchedAt: Date.now(), fromCache: false, loading: false, error: undefined });
      } catch (error) {
        update({ loading: false, error: error instanceof ApiError ? error : new ApiError(0, 'OFFLINE', '') });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [key, path, session, attempt]);
  return { ...state, reload: () => setAttempt((n) => n + 1) };
}
