import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.ts';
import { useT } from '../i18n.ts';
import type { StaffSession } from '../store.ts';

interface LoginResponse {
  accessToken: string;
  expiresInSeconds: number;
  role: string;
  providerId: number | null;
}

export function LoginScreen({ onLogin }: { onLogin: (session: StaffSession) => void }) {
  const t = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const login = await api<LoginResponse>('/auth/login', { method: 'POST', body: { username, password } });
      if (login.role !== 'provider_staff' || login.providerId === null) {
        setError(t('login.notStaff'));
        return;
      }
      onLogin({
        token: login.accessToken,
        expiresAt: Date.now() + login.expiresInSeconds * 1000,
        providerId: login.providerId,
        username,
      });
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="login-heading">
      <h1 id="login-heading" tabIndex={-1}>
        {t('login.heading')}
      </h1>
      <p>{t('login.intro')}</p>
      <form onSubmit={submit}>
        <label for="username">{t('login.username')}</label>
        <input
          id="username"
          autoComplete="username"
          required
          value={username}
          onInput={(event) => setUsername((event.target as HTMLInputElement).value)}
        />
        <label for="password">{t('login.password')}</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(event) => setPassword((event.target as HTMLInputElement).value)}
        />
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? t('login.working') : t('login.submit')}
        </button>
      </form>
    </section>
  );
}
