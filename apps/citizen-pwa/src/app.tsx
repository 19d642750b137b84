import { useEffect, useRef, useState } from 'preact/hooks';
import { language, setLanguage, useT } from './i18n.ts';
import { ActivateScreen } from './screens/activate.tsx';
import { HistoryScreen } from './screens/history.tsx';
import { OffersScreen } from './screens/offers.tsx';
import { PassScreen } from './screens/pass.tsx';
import { VouchersScreen } from './screens/vouchers.tsx';
import { type DevicePass, deviceStore, type Session, sessionStore } from './store.ts';

const ROUTES = ['pass', 'vouchers', 'history', 'offers'] as const;
type Route = (typeof ROUTES)[number];

/** Hash routes (#/vouchers) work from the cached shell offline and need no server fallback. */
function currentRoute(): Route {
  const name = location.hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'pass';
}

function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const onChange = () => setRoute(currentRoute());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function App() {
  const t = useT();
  const route = useRoute();
  const [loaded, setLoaded] = useState(false);
  const [session, setSession] = useState<Session | undefined>();
  const [device, setDevice] = useState<DevicePass | undefined>();
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    Promise.all([sessionStore.read(), deviceStore.read()]).then(([storedSession, storedDevice]) => {
      setSession(storedSession);
      setDevice(storedDevice);
      setLoaded(true);
    });
  }, []);

  // After a screen change, move focus to its heading so screen-reader users hear where they are.
  useEffect(() => {
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [route, device]);

  const screen = !device ? (
    <ActivateScreen
      onActivated={(newSession, newDevice) => {
        setSession(newSession);
        setDevice(newDevice);
        location.hash = '#/pass';
      }}
    />
  ) : route === 'vouchers' ? (
    <VouchersScreen session={session} />
  ) : route === 'history' ? (
    <HistoryScreen session={session} />
  ) : route === 'offers' ? (
    <OffersScreen />
  ) : (
    <PassScreen device={device} session={session} />
  );

  return (
    <>
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header class="top">
        <span class="brand">{t('app.title')}</span>
        <button
          type="button"
          class="link"
          lang={language() === 'da' ? 'en' : 'da'}
          aria-label={t('app.languageLabel')}
          onClick={() => setLanguage(language() === 'da' ? 'en' : 'da')}
        >
          {t('app.language')}
        </button>
      </header>
      <main id="main" ref={main}>
        {loaded ? screen : null}
      </main>
      {device ? (
        <nav class="tabs" aria-label={t('nav.label')}>
          {ROUTES.map((name) => (
            <a key={name} href={`#/${name}`} aria-current={route === name ? 'page' : undefined}>
              {t(`nav.${name}`)}
            </a>
          ))}
        </nav>
      ) : null}
    </>
  );
}
