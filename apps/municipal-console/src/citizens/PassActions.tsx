import { useRef, useState } from 'preact/hooks';
import { apiJson, apiText } from '../api/client.ts';
import type { Citizen, ReissueResponse } from '../api/types.ts';
import { useT } from '../i18n/index.ts';
import { Dialog, ErrorAlert, StatusMessage, useMessage } from '../ui/components.tsx';

interface Props {
  citizenId: string;
  citizen: Citizen;
  onChanged: () => Promise<void>;
}

/**
 * The activation letter and lost passes. The API renders the letter as print-ready HTML with
 * the QR and a fresh activation code; it is shown in a frame (no scripts allowed inside) and
 * printed from there, so it never needs a URL of its own that could carry a token.
 */
export function PassActions({ citizenId, onChanged }: Props) {
  const t = useT();
  const [letterHtml, setLetterHtml] = useState<string>();
  const [busy, setBusy] = useState<'letter' | 'reissue'>();
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useMessage();
  const [confirmReissue, setConfirmReissue] = useState(false);
  const frame = useRef<HTMLIFrameElement>(null);

  async function makeLetter() {
    setBusy('letter');
    setError(undefined);
    setMessage(undefined);
    try {
      setLetterHtml(await apiText('POST', `/citizens/${citizenId}/letter`));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(undefined);
    }
  }

  async function reissue() {
    setConfirmReissue(false);
    setBusy('reissue');
    setError(undefined);
    setMessage(undefined);
    setLetterHtml(undefined);
    try {
      const reissued = await apiJson<ReissueResponse>('POST', `/citizens/${citizenId}/passes/reissue`);
      await onChanged();
      setMessage(() => t('citizen.reissued', { serial: reissued.passSerial }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <section class="card" aria-labelledby="passes-title">
      <h2 id="passes-title">{t('citizen.passes')}</h2>
      <ErrorAlert error={error} />
      <StatusMessage>{message}</StatusMessage>
      <p class="muted">{t('citizen.printLetterHint')}</p>
      <div class="actions">
        <button
          type="button"
          class="button button--primary"
          onClick={makeLetter}
          disabled={busy !== undefined}
        >
          {busy === 'letter' ? t('citizen.letterBusy') : t('citizen.printLetter')}
        </button>
        <button
          type="button"
          class="button"
          onClick={() => setConfirmReissue(true)}
          disabled={busy !== undefined}
        >
          {t('citizen.reissue')}
        </button>
      </div>
      {letterHtml ? (
        <div class="letter">
          <div class="actions">
            <button
              type="button"
              class="button button--primary"
              onClick={() => frame.current?.contentWindow?.print()}
            >
              {t('citizen.print')}
            </button>
          </div>
          <iframe
            ref={frame}
            class="letter__frame"
            title={t('citizen.letterPreview')}
            srcdoc={letterHtml}
            sandbox="allow-same-origin allow-modals"
          />
        </div>
      ) : null}
      <Dialog
        title={t('citizen.reissueConfirmTitle')}
        open={confirmReissue}
        onClose={() => setConfirmReissue(false)}
      >
        <p>{t('citizen.reissueConfirmText')}</p>
        <div class="actions">
          <button type="button" class="button button--danger" onClick={reissue}>
            {t('citizen.reissueConfirm')}
          </button>
          <button type="button" class="button" onClick={() => setConfirmReissue(false)}>
            {t('common.cancel')}
          </button>
        </div>
      </Dialog>
    </section>
  );
}
