import { useCallback, useEffect, useState } from 'preact/hooks';

/** Loads something from the API and reloads it on demand; keeps the last value while reloading. */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<unknown>();
  const reload = useCallback(async () => {
    try {
      setValue(await load());
      setError(undefined);
    } catch (caught) {
      setError(caught);
    }
  }, deps);
  useEffect(() => {
    setValue(undefined);
    void reload();
  }, [reload]);
  return { value, error, reload };
}

/** Calls `tick` every `ms` while `active`; for steps the chain confirms a little later. */
export function usePolling(active: boolean, tick: () => Promise<void>, ms = 1500) {
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => void tick(), ms);
    return () => clearInterval(timer);
  }, [active, tick, ms]);
}
