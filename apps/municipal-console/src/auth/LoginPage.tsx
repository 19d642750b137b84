import { useState } from 'preact/hooks';
import { apiJson } from '../api/client.ts';
import type { LoginResponse } from '../api/types.ts';
import { useT } from '../i18n/index.ts';
import { ErrorAlert, Field, PageHeading } from '../ui/components.tsx';
import { setSession, tokenSubject } from './session.ts';

const PROVIDER_ROLE = 'provider_staff';

export function LoginPage() {
  const t = useT();
  return (
    <section class="login card">
      <PageHeading>{t('login.title')}</PageHeading>
      <p>{t('login.intro')}</p>
      <LoginForm />
      <p>
        <a href="#/transparency">{t('login.publicDashboard')}</a>
      </p>
    </section>
  );
}

/**
 * The sign-in form. With `username` given (a session that expired mid-work) the name is
 * fixed, so signing in again resumes the same officer's work where it was.
 */
export function LoginForm({ username: fixedUsername }: { username?: string }) {
  const t = useT();
  const [username, setUsername] = useState(fixedUsername ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [providerRefused, setProviderRefused] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setProviderRefused(false);
    try {
      const login = await apiJson<LoginResponse>('POST', '/auth/login', {
        username: username.trim(),
        password,
      });
      if (login.role === PROVIDER_ROLE) {
        setProviderRefused(true);
        return;
      }
      setSession({
        accessToken: login.accessToken,
        role: login.role,
        username: username.trim(),
        staffId: tokenSubject(login.accessToken),
        municipalityId: login.municipalityId,
        // A little early, so a request never leaves with a token about to expire.
        expiresAt: Date.now() + (login.expiresInSeconds - 15) * 1000,
      });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
      setPassword('');
    }
  }

  return (
    <>
      <ErrorAlert error={error} />
      {providerRefused ? (
        <p class="alert alert--error" role="alert">
          {t('login.providerNotHere')}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <Field
          id="login-username"
          label={t('login.username')}
          value={username}
          onValue={setUsername}
          autoComplete="username"
          autoCapitalize="none"
          spellcheck={false}
          readOnly={fixedUsername !== undefined}
          required
        />
        <Field
          id="login-password"
          label={t('login.password')}
          value={password}
          onValue={setPassword}
          type="password"
          autoComplete="current-password"
          required
        />
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </>
  );
}
