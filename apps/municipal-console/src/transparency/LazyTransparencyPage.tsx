import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useT } from '../i18n/index.ts';
import { ErrorAlert } from '../ui/components.tsx';

/** The dashboard with its chart library, loaded only when someone opens it. */
export function LazyTransparencyPage() {
  const t = useT();
  const [Page, setPage] = useState<ComponentType>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    import('./TransparencyPage.tsx').then((module) => setPage(() => module.TransparencyPage), setError);
  }, []);
  if (error) return <ErrorAlert error={error} />;
  return Page ? <Page /> : <p role="status">{t('app.loading')}</p>;
}
