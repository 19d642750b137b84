import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { LoginForm, LoginPage } from './auth/LoginPage.tsx';
import { currentSession, onSessionChange, type Session, setSession } from './auth/session.ts';
import { BulkGrantPage } from './citizens/BulkGrantPage.tsx';
import { CitizensPage } from './citizens/CitizensPage.tsx';
import { DisputesPage } from './disputes/DisputesPage.tsx';
import { PeriodsPage } from './finance/PeriodsPage.tsx';
import { ProgramsPage } from './finance/ProgramsPage.tsx';
import { StatementsPage } from './finance/StatementsPage.tsx';
import { currentLanguage, setLanguage, useT } from './i18n/index.ts';
import { useOwnMunicipality } from './municipality/use-own-municipality.ts';
import { AwaitingAdminsPage } from './passkeys/AwaitingAdminsPage.tsx';
import { PasskeysPage } from './passkeys/PasskeysPage.tsx';
import { usePasskeyNudge } from './passkeys/use-passkey-nudge.ts';
import { type RouteName, routesFor, useHashRoute } from './routes.ts';
import { LazyTransparencyPage } from './transparency/LazyTransparencyPage.tsx';
import { Dialog } from './ui/components.tsx';

const PAGES: Record<RouteName, ComponentType> = {
  citizens: CitizensPage,
  'bulk-grant': BulkGrantPage,
  disputes: DisputesPage,
  programs: ProgramsPage,
  periods: PeriodsPage,
  statements: StatementsPage,
  transparency: LazyTransparencyPage,
  passkeys: PasskeysPage,
  'awaiting-admins': AwaitingAdminsPage,
};

export function App() {
  const t = useT();
  const [session, setCurrent] = useState<Session | undefined>(currentSession);
  // The session that ended without the officer signing out (the token expired): its page
  // stays, under a dialog to sign in again, so nothing typed is lost.
  const [expired, setExpired] = useState<Session>();
  const signingOut = useRef(false);
  const hash = useHashRoute();
  const municipality = useOwnMunicipality(session);
  usePasskeyNudge(session);

  const latest = useRef(session);
  useEffect(
    () =>
      onSessionChange((next) => {
        if (next === undefined && latest.current && !signingOut.current) setExpired(latest.current);
        if (next !== undefined) setExpired(undefined);
        latest.current = next;
        signingOut.current = false;
        setCurrent(next);
      }),
    [],
  );

  // End the session when the token does, rather than at the next failing request.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => setSession(undefined), Math.max(0, session.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [session]);

  function signOut() {
    signingOut.current = true;
    setExpired(undefined);
    setSession(undefined);
  }

  const working = session ?? expired;
  const allowed = routesFor(working?.role);
  const requested = hash as RouteName;
  // The transparency dashboard is public; everything else needs a signed-in officer.
  const route: RouteName | undefined =
    requested === 'transparency' || allowed.some((r) => r.name === requested) ? requested : allowed[0]?.name;
  const Page = route ? PAGES[route] : undefined;
  const showLogin = !working && route !== 'transparency';

  return (
    <>
      <a class="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header class="topbar">
        <div class="topbar__brand">
          {municipality ? (
            <span class="topbar__title" data-testid="municipality" data-municipality-id={municipality.id}>
              {t('app.titleFor', { municipality: municipality.name })}
            </span>
          ) : (
            <span class="topbar__title">{t('app.title')}</span>
          )}
          <span class="topbar__subtitle">{t('app.subtitle')}</span>
        </div>
        <div class="topbar__tools">
          {session ? (
            <span class="topbar__user">
              {t('app.signedInAs', { username: session.username, role: t(`roles.${session.role}`) })}
            </span>
          ) : null}
          {session && allowed.some((item) => item.name === 'passkeys') ? (
            <a
              class="button button--small"
              href="#/passkeys"
              aria-current={route === 'passkeys' ? 'page' : undefined}
            >
              {t('nav.passkeys')}
            </a>
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
      {working && allowed.length > 0 ? (
        <nav class="mainnav" aria-label={t('app.mainNav')}>
          <ul>
            {allowed
              .filter((item) => !item.header)
              .map((item) => (
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
          <LoginPage />
        ) : Page ? (
          <Page key={`${route}-${working?.username ?? 'public'}`} />
        ) : (
          <p class="alert alert--error">{t('app.notAllowed')}</p>
        )}
      </main>
      <Dialog
        title={t('login.expiredTitle')}
        open={expired !== undefined && !session}
        onClose={() => {}}
        modal
      >
        <p>{t('login.expiredText')}</p>
        <LoginForm username={expired?.username} />
        <p>
          <button type="button" class="button button--link" onClick={signOut}>
            {t('login.expiredSignOut')}
          </button>
        </p>
      </Dialog>
    </>
  );
}
