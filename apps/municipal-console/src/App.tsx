import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { LoginPage } from './auth/LoginPage.tsx';
import { currentSession, onSessionChange, type Session, setSession } from './auth/session.ts';
import { BulkGrantPage } from './citizens/BulkGrantPage.tsx';
import { CitizensPage } from './citizens/CitizensPage.tsx';
import { PeriodsPage } from './finance/PeriodsPage.tsx';
import { ProgramsPage } from './finance/ProgramsPage.tsx';
import { StatementsPage } from './finance/StatementsPage.tsx';
import { currentLanguage, setLanguage, useT } from './i18n/index.ts';
import { type RouteName, routesFor, useHashRoute } from './routes.ts';
import { LazyTransparencyPage } from './transparency/LazyTransparencyPage.tsx';

const PAGES: Record<RouteName, ComponentType> = {
  citizens: CitizensPage,
  'bulk-grant': BulkGrantPage,
  programs: ProgramsPage,
  periods: PeriodsPage,
  statements: StatementsPage,
  transparency: LazyTransparencyPage,
};

export function App() {
  const t = useT();
  const [session, setCurrent] = useState<Session | undefined>(currentSession);
  const [expired, setExpired] = useState(false);
  const signingOut = useRef(false);
  const hash = useHashRoute();

  // A session that ends without the officer signing out has expired: say so on the login page.
  useEffect(
    () =>
      onSessionChange((next) => {
        setExpired(next === undefined && !signingOut.current);
        signingOut.current = false;
        setCurrent(next);
      }),
    [],
  );

  function signOut() {
    signingOut.current = true;
    setSession(undefined);
  }

  const allowed = routesFor(session?.role);
  const requested = hash as RouteName;
  // The transparency dashboard is public; everything else needs a signed-in officer.
  const route: RouteName | undefined =
    requested === 'transparency' || allowed.some((r) => r.name === requested) ? requested : allowed[0]?.name;
  const Page = route ? PAGES[route] : undefined;
  const showLogin = !session && route !== 'transparency';

  return (
    <>
      <a class="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header class="topbar">
        <div class="topbar__brand">
          <span class="topbar__title">{t('app.title')}</span>
          <span class="topbar__subtitle">{t('app.subtitle')}</span>
        </div>
        <div class="topbar__tools">
          {session ? (
            <span class="topbar__user">
              {t('app.signedInAs', { username: session.username, role: t(`roles.${session.role}`) })}
            </span>
          ) : null}
          <button
            type="button"
            class="button button--small"
            lang={currentLanguage() === 'da' ? 'en' : 'da'}
            title={t('app.languageLabel')}
            onClick={() => setLanguage(currentLanguage() === 'da' ? 'en' : 'da')}
          >
            {t('app.language')}
          </button>
          {session ? (
            <button type="button" class="button button--small" onClick={signOut}>
              {t('app.logout')}
            </button>
          ) : null}
        </div>
      </header>
      {session && allowed.length > 0 ? (
        <nav class="mainnav" aria-label={t('app.mainNav')}>
          <ul>
            {allowed.map((item) => (
              <li key={item.name}>
                <a href={`#/${item.name}`} aria-current={item.name === route ? 'page' : undefined}>
                  {t(item.navKey)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <main id="main" class="main" tabIndex={-1}>
        {showLogin ? (
          <LoginPage expired={expired} />
        ) : Page ? (
          <Page key={`${route}-${session?.username ?? 'public'}`} />
        ) : (
          <p class="alert alert--error">{t('app.notAllowed')}</p>
        )}
      </main>
    </>
  );
}
