import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.ts';
import { useT } from '../i18n.ts';
import { createDeviceKey } from '../presentation.ts';
import { type DevicePass, deviceStore, type Session, sessionStore } from '../store.ts';

interface ActivationResponse {
  accessToken: string;
  expiresInSeconds: number;
  accountId: string;
}

/**
 * The letter's code buys a short citizen session; in it the phone makes its own key pair and
 * registers only the public half. The private key never leaves this browser.
 */
export function ActivateScreen({
  onActivated,
}: {
  onActivated: (session: Session, device: DevicePass) => void;
}) {
  const t = useT();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  async function submit(event: Event) {
    event.preventDefault();
    if (!code.trim()) {
      setError(t('activate.empty'));
      return;
    }
    setError(undefined);
    try {
      setBusy(t('activate.working'));
      const activation = await api<ActivationResponse>('/activation', {
        method: 'POST',
        body: { code: code.trim() },
      });
      const session: Session = {
        token: activation.accessToken,
        expiresAt: Date.now() + activation.expiresInSeconds * 1000,
        accountId: activation.accountId,
      };
      await sessionStore.write(session);
      setBusy(t('activate.registering'));
      const { privateKey, publicJwk } = await createDeviceKey();
      const { deviceId } = await api<{ deviceId: string }>('/activation/device', {
        method: 'POST',
        token: session.token,
        body: { publicKey: { kty: 'EC', crv: 'P-256', x: publicJwk.x, y: publicJwk.y } },
      });
      const device: DevicePass = { accountId: activation.accountId, deviceId, privateKey };
      await deviceStore.write(device);
      onActivated(session, device);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <section aria-labelledby="activate-heading">
      <h1 id="activate-heading" tabIndex={-1}>
        {t('activate.heading')}
      </h1>
      <p>{t('activate.intro')}</p>
      <form onSubmit={submit} noValidate>
        <label for="activation-code">{t('activate.codeLabel')}</label>
        <p id="activation-code-hint" class="hint">
          {t('activate.codeHint')}
        </p>
        <input
          id="activation-code"
          name="code"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellcheck={false}
          aria-describedby={error ? 'activation-code-hint activation-error' : 'activation-code-hint'}
          aria-invalid={error ? 'true' : undefined}
          value={code}
          onInput={(event) => setCode((event.target as HTMLInputElement).value)}
        />
        {error ? (
          <p id="activation-error" class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy !== undefined}>
          {busy ?? t('activate.submit')}
        </button>
      </form>
    </section>
  );
}
