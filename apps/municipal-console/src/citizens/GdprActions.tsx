import { useState } from 'preact/hooks';
import { apiDownload, apiJson, saveFile } from '../api/client.ts';
import { useT } from '../i18n/index.ts';
import { Dialog, ErrorAlert, Field, StatusMessage, useMessage } from '../ui/components.tsx';

interface Props {
  citizenId: string;
  citizenName: string;
  onErased: () => void;
}

/**
 * GDPR requests: the art. 15 export as a JSON download, and art. 17 erasure behind a
 * type-the-name confirmation, because it destroys the person's keys for good.
 */
export function GdprActions({ citizenId, citizenName, onErased }: Props) {
  const t = useT();
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useMessage();
  const [eraseOpen, setEraseOpen] = useState(false);
  const [typedName, setTypedName] = useState('');
  const [busy, setBusy] = useState(false);

  async function exportData() {
    setError(undefined);
    setMessage(undefined);
    try {
      const download = await apiDownload(`/citizens/${citizenId}/export`, 'application/json');
      // The file name carries the pseudonymous id and the date, never a name or CPR number.
      saveFile(download.blob, `art15-${citizenId}-${new Date().toISOString().slice(0, 10)}.json`);
      setMessage(() => t('citizen.exported'));
    } catch (caught) {
      setError(caught);
    }
  }

  async function erase() {
    setBusy(true);
    setError(undefined);
    try {
      await apiJson('POST', `/citizens/${citizenId}/erase`);
      setEraseOpen(false);
      onErased();
    } catch (caught) {
      setError(caught);
      setEraseOpen(false);
    } finally {
      setBusy(false);
    }
  }

  const confirmed = normalise(typedName) === normalise(citizenName);
  return (
    <section class="card" aria-labelledby="gdpr-title">
      <h2 id="gdpr-title">{t('citizen.gdpr')}</h2>
      <ErrorAlert error={error} />
      <StatusMessage>{message}</StatusMessage>
      <div class="actions">
        <button type="button" class="button" onClick={exportData}>
          {t('citizen.export')}
        </button>
        <button
          type="button"
          class="button button--danger"
          onClick={() => {
            setTypedName('');
            setEraseOpen(true);
          }}
        >
          {t('citizen.erase')}
        </button>
      </div>
      <Dialog title={t('citizen.eraseTitle')} open={eraseOpen} onClose={() => setEraseOpen(false)}>
        <p>{t('citizen.eraseText')}</p>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (confirmed) void erase();
          }}
        >
          <Field
            id="erase-confirm-name"
            label={t('citizen.eraseTypeLabel', { name: citizenName })}
            value={typedName}
            onValue={setTypedName}
            autoComplete="off"
            spellcheck={false}
          />
          <div class="actions">
            <button type="submit" class="button button--danger" disabled={!confirmed || busy}>
              {t('citizen.eraseConfirm')}
            </button>
            <button type="button" class="button" onClick={() => setEraseOpen(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}

function normalise(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLocaleLowerCase('da');
}
