import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from './api.ts';
import { language, setLanguage, useT } from './i18n.ts';
import { prepareRedemption, submitPending } from './redeem-flow.ts';
import { LoginScreen } from './screens/login.tsx';
import { PairScreen } from './screens/pair.tsx';
import { RedeemScreen, type RedemptionChoice, type ScanResult } from './screens/redeem.tsx';
import { type Outcome, ResultScreen } from './screens/result.tsx';
import { ScanScreen } from './screens/scan.tsx';
import { StatementsScreen, TodayScreen } from './screens/today.tsx';
import { pendingStore, type StaffSession, sessionStore, type Terminal, terminalStore } from './store.ts';
import { resumeRedemptionCounter } from './terminal.ts';

const ROUTES = ['scan', 'today', 'statements'] as const;
type Route = (typeof ROUTES)[number];

function currentRoute(): Route {
  const name = location.hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'scan';
}

type Flow =
  | { step: 'scan'; error?: { message: string; code: string } }
  | { step: 'redeem'; scan: ScanResult }
  | { step: 'result'; outcome: Outcome };

/** Scan-to-result: from the QR decoded (or the code typed) to the answer on screen. */
function measureScanToResult() {
  if (performance.getEntriesByName('qr-decoded', 'mark').length === 0) return;
  performance.measure('scan-to-result', 'qr-decoded');
  performance.clearMarks('qr-decoded');
}

export function App() {
  const t = useT();
  const [route, setRoute] = useState(currentRoute());
  const [loaded, setLoaded] = useState(false);
  const [session, setSession] = useState<StaffSession | undefined>();
  const [terminal, setTerminal] = useState<Terminal | undefined>();
  const [flow, setFlow] = useState<Flow>({ step: 'scan' });
  const [busy, setBusy] = useState(false);
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    addEventListener('hashchange', onHash);
    Promise.all([sessionStore.read(), terminalStore.read(), pendingStore.read()]).then(
      ([s, term, pending]) => {
        setSession(s && s.expiresAt > Date.now() ? s : undefined);
        setTerminal(term);
        // A redemption that never got a final answer must be finished before the next scan.
        if (pending) setFlow({ step: 'result', outcome: { kind: 'interrupted' } });
        setLoaded(true);
      },
    );
    return () => removeEventListener('hashchange', onHash);
  }, []);

  // Once per signed-in session: never reuse an id the API has already seen from this terminal.
  useEffect(() => {
    if (!session || !terminal || terminal.providerId !== session.providerId) return;
    resumeRedemptionCounter(session, terminal).catch(() => {});
  }, [session, terminal?.address]);

  useEffect(() => {
    main.current?.querySelector<HTMLElement>('h1')?.focus();
    if (flow.step === 'redeem' || (flow.step === 'scan' && flow.error)) measureScanToResult();
  }, [route, flow, session, terminal]);

  function signOut() {
    sessionStore.clear();
    setSession(undefined);
  }

  function handleAuthError(error: unknown): boolean {
    if (error instanceof ApiError && error.status === 401) {
      signOut();
      return true;
    }
    return false;
  }

  async function onCode(text: string) {
    if (performance.getEntriesByName('qr-decoded', 'mark').length === 0) performance.mark('qr-decoded');
    if (!session) return;
    setBusy(true);
    try {
      const scan = await api<ScanResult>('/scans', {
        method: 'POST',
        token: session.token,
        body: { pass: text },
      });
      setFlow({ step: 'redeem', scan });
    } catch (error) {
      if (!handleAuthError(error)) {
        setFlow({
          step: 'scan',
          error:
            error instanceof ApiError
              ? { message: error.message, code: error.code }
              : { message: String(error), code: 'CLIENT' },
        });
      }
    } finally {
      setBusy(false);
    }
  }

  async function onConfirm(scan: ScanResult, choice: RedemptionChoice) {
    if (!session || !terminal) return;
    setBusy(true);
    try {
      const pending = await prepareRedemption(terminal, scan, choice);
      performance.mark('redeem-sent');
      const outcome = await submitPending(session, pending);
      setFlow({ step: 'result', outcome });
      performance.measure('confirm-to-result', 'redeem-sent');
    } catch (error) {
      if (!handleAuthError(error)) {
        const message = error instanceof ApiError ? error.message : String(error);
        setFlow({ step: 'result', outcome: { kind: 'failure', code: 'CLIENT', message } });
      }
    } finally {
      setBusy(false);
    }
  }

  async function onRetry() {
    const pending = await pendingStore.read();
    if (!pending) return setFlow({ step: 'scan' });
    if (!session) return;
    setBusy(true);
    const outcome = await submitPending(session, pending);
    setBusy(false);
    setFlow({ step: 'result', outcome });
  }

  let screen = null;
  if (!loaded) screen = null;
  else if (!session) {
    screen = (
      <LoginScreen
        onLogin={(next) => {
          sessionStore.write(next);
          setSession(next);
        }}
      />
    );
  } else if (!terminal || terminal.providerId !== session.providerId) {
    screen = (
      <PairScreen
        session={session}
        onPaired={(next) => {
          terminalStore.write(next);
          setTerminal(next);
        }}
      />
    );
  } else if (route === 'today')
    screen = <TodayScreen session={session} terminal={terminal} onAuthError={handleAuthError} />;
  else if (route === 'statements') screen = <StatementsScreen session={session} />;
  else if (flow.step === 'redeem') {
    const scan = flow.scan;
    screen = (
      <RedeemScreen
        scan={scan}
        sending={busy}
        onConfirm={(choice) => onConfirm(scan, choice)}
        onCancel={() => setFlow({ step: 'scan' })}
      />
    );
  } else if (flow.step === 'result') {
    screen = (
      <ResultScreen outcome={flow.outcome} onRetry={onRetry} onNext={() => setFlow({ step: 'scan' })} />
    );
  } else {
    screen = (
      <ScanScreen
        busy={busy}
        error={flow.error}
        terminalLabel={terminal.label}
        onCode={onCode}
        onScanAgain={() => flow.error && setFlow({ step: 'scan' })}
      />
    );
  }

  return (
    <>
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header class="top">
        <span class="brand">{t('app.title')}</span>
        <span class="actions">
          <button
            type="button"
            class="link"
            lang={language() === 'da' ? 'en' : 'da'}
            aria-label={t('app.languageLabel')}
            onClick={() => setLanguage(language() === 'da' ? 'en' : 'da')}
          >
            {t('app.language')}
          </button>
          {session ? (
            <button type="button" class="link" onClick={signOut}>
              {t('app.logout')}
            </button>
          ) : null}
        </span>
      </header>
      <main id="main" ref={main}>
        {screen}
      </main>
      {session && terminal ? (
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
