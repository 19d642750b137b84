import { browserSupportsWebAuthn, platformAuthenticatorIsAvailable } from '@simplewebauthn/browser';
import { useEffect, useState } from 'preact/hooks';
import { currentSession } from '../auth/session.ts';
import { useResource } from '../finance/use-resource.ts';
import { useLanguage, useT } from '../i18n/index.ts';
import { Dialog, ErrorAlert, Field, PageHeading, StatusMessage, useMessage } from '../ui/components.tsx';
import { formatDateTime } from '../ui/dates.ts';
import { browserRefusal } from './browser-refusal.ts';
import {
  activePasskeys,
  enrolDevelopmentKey,
  enrolPasskey,
  listOwnPasskeys,
  type Passkey,
  revokePasskey,
} from './passkey-api.ts';
import { needsPasskey } from './passkey-roles.ts';

/** What this browser offers: WebAuthn at all, and a built-in authenticator (Windows Hello, Touch ID…). */
interface Capabilities {
  webauthn: boolean;
  platform: boolean;
}

/**
 * "Mine adgangsnøgler": every console user names a device and enrols a passkey on it, sees
 * their keys and revokes one. Where the browser has no authenticator and the API runs as the
 * demo, a development key made in the browser stands in, clearly labelled as such.
 */
export function PasskeysPage() {
  const t = useT();
  const language = useLanguage();
  const session = currentSession();
  const keys = useResource(listOwnPasskeys, []);
  const capabilities = useCapabilities();
  const [deviceName, setDeviceName] = useState('');
  const [nameError, setNameError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useMessage();
  const [passkeyFailed, setPasskeyFailed] = useState(false);
  const [revoking, setRevoking] = useState<Passkey>();

  const list = keys.value?.passkeys;
  const active = list ? activePasskeys(list) : [];
  const offerDevelopmentKey =
    keys.value?.allowDevelopmentKeys === true &&
    capabilities !== undefined &&
    (!capabilities.webauthn || !capabilities.platform || passkeyFailed);

  async function enrol(kind: Passkey['kind']) {
    const name = deviceName.trim();
    if (name === '') {
      setNameError(t('validation.required'));
      document.getElementById('passkey-device-name')?.focus();
      return;
    }
    setNameError(undefined);
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    try {
      const enrolled =
        kind === 'passkey'
          ? await enrolPasskey(name)
          : await enrolDevelopmentKey(name, session?.staffId ?? '');
      setDeviceName('');
      setMessage(() => t('passkeys.enrolled', { name: enrolled.deviceName, address: enrolled.address }));
      await keys.reload();
    } catch (caught) {
      if (kind === 'passkey') setPasskeyFailed(true);
      setError(browserRefusal(caught));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(passkey: Passkey) {
    setRevoking(undefined);
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    try {
      await revokePasskey(passkey.id);
      setMessage(() => t('passkeys.revoked', { name: passkey.deviceName }));
      await keys.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeading>{t('passkeys.title')}</PageHeading>
      <p>{t('passkeys.intro')}</p>
      {list && active.length === 0 && needsPasskey(session?.role) ? (
        <p class="alert alert--info" data-testid="passkey-needed">
          {t('passkeys.needed')}
        </p>
      ) : null}
      <ErrorAlert error={error ?? keys.error} />
      <StatusMessage>{message}</StatusMessage>

      <section class="card" aria-labelledby="passkey-enrol-title">
        <h2 id="passkey-enrol-title">{t('passkeys.enrolTitle')}</h2>
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void enrol('passkey');
          }}
        >
          <Field
            id="passkey-device-name"
            label={t('passkeys.deviceName')}
            hint={t('passkeys.deviceNameHint')}
            value={deviceName}
            onValue={setDeviceName}
            error={nameError}
            maxLength={64}
            autoComplete="off"
            required
          />
          {session?.role === 'finance' ? <p class="muted">{t('passkeys.approval')}</p> : null}
          {capabilities && !capabilities.webauthn ? <p class="muted">{t('passkeys.unsupported')}</p> : null}
          {capabilities?.webauthn && !capabilities.platform ? (
            <p class="muted">{t('passkeys.noPlatform')}</p>
          ) : null}
          <div class="actions">
            <button
              type="submit"
              class="button button--primary"
              disabled={busy || capabilities?.webauthn === false}
            >
              {busy ? t('passkeys.enrolling') : t('passkeys.enrol')}
            </button>
          </div>
        </form>
        {offerDevelopmentKey ? (
          <div class="alert alert--info" data-testid="development-key">
            <h3>{t('passkeys.devTitle')}</h3>
            <p>{t('passkeys.devText')}</p>
            <button type="button" class="button" disabled={busy} onClick={() => void enrol('development')}>
              {t('passkeys.devEnrol')}
            </button>
          </div>
        ) : null}
      </section>

      <h2>{t('passkeys.listTitle')}</h2>
      {list === undefined && !keys.error ? <p role="status">{t('app.loading')}</p> : null}
      {list && list.length === 0 ? <p>{t('passkeys.none')}</p> : null}
      {list && list.length > 0 ? (
        <div class="table-scroll">
          <table class="table card" data-testid="passkeys">
            <thead>
              <tr>
                <th scope="col">{t('passkeys.device')}</th>
                <th scope="col">{t('passkeys.kind')}</th>
                <th scope="col">{t('passkeys.created')}</th>
                <th scope="col">{t('passkeys.lastUsed')}</th>
                <th scope="col">{t('passkeys.address')}</th>
                <th scope="col">{t('passkeys.status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((passkey) => (
                <tr key={passkey.id} data-passkey-id={passkey.id}>
                  <th scope="row">{passkey.deviceName}</th>
                  <td>
                    <span class={`badge ${passkey.kind === 'passkey' ? 'badge--ok' : 'badge--wait'}`}>
                      {t(`passkeys.kinds.${passkey.kind}`)}
                    </span>
                  </td>
                  <td>{formatDateTime(passkey.createdAt, language)}</td>
                  <td>
                    {passkey.lastUsedAt ? formatDateTime(passkey.lastUsedAt, language) : t('passkeys.never')}
                  </td>
                  <td>
                    <code>{passkey.address}</code>
                  </td>
                  <td>
                    {passkey.revokedAt ? (
                      <span class="badge badge--no">
                        {t('passkeys.revokedAt', { date: formatDateTime(passkey.revokedAt, language) })}
                      </span>
                    ) : (
                      <button
                        type="button"
                        class="button button--small button--danger"
                        disabled={busy}
                        onClick={() => setRevoking(passkey)}
                      >
                        {t('passkeys.revoke')}
                        <span class="visually-hidden"> {passkey.deviceName}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      <Dialog
        title={t('passkeys.revokeTitle')}
        open={revoking !== undefined}
        onClose={() => setRevoking(undefined)}
      >
        {revoking ? (
          <>
            <p>{t('passkeys.revokeText', { name: revoking.deviceName })}</p>
            <div class="actions">
              <button
                type="button"
                class="button button--primary button--danger"
                onClick={() => revoke(revoking)}
              >
                {t('passkeys.revokeConfirm')}
              </button>
              <button type="button" class="button" onClick={() => setRevoking(undefined)}>
                {t('common.cancel')}
              </button>
            </div>
          </>
        ) : null}
      </Dialog>
    </>
  );
}

function useCapabilities(): Capabilities | undefined {
  const [capabilities, setCapabilities] = useState<Capabilities>();
  useEffect(() => {
    const webauthn = browserSupportsWebAuthn();
    if (!webauthn) {
      setCapabilities({ webauthn, platform: false });
      return;
    }
    platformAuthenticatorIsAvailable().then(
      (platform) => setCapabilities({ webauthn, platform }),
      () => setCapabilities({ webauthn, platform: false }),
    );
  }, []);
  return capabilities;
}
