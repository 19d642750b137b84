import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/**
 * Loads something from the API and reloads it on demand; keeps the last value while reloading.
 * Only the latest load's answer counts: an earlier one that arrives late (say, the first
 * municipality's figures after the officer's own were asked for) never overwrites it.
 */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<unknown>();
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const call = ++latest.current;
    try {
      const loaded = await load();
      if (call !== latest.current) return;
      setValue(loaded);
      setError(undefined);
    } catch (caught) {
      if (call === latest.current) setError(caught);
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
