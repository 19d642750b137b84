import { useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { useT } from '../i18n.ts';
import type { StaffSession, Terminal } from '../store.ts';
import { pairThisDevice } from '../terminal.ts';

export function PairScreen({
  session,
  onPaired,
}: {
  session: StaffSession;
  onPaired: (terminal: Terminal) => void;
}) {
  const t = useT();
  const [label, setLabel] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onPaired(await pairThisDevice(session, label.trim(), code.trim() || undefined));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="pair-heading">
      <h1 id="pair-heading" tabIndex={-1}>
        {t('pair.heading')}
      </h1>
      <p>{t('pair.intro')}</p>
      <form onSubmit={submit}>
        <label for="terminal-label">{t('pair.label')}</label>
        <p id="terminal-label-hint" class="hint">
          {t('pair.labelHint')}
        </p>
        <input
          id="terminal-label"
          required
          maxLength={100}
          aria-describedby="terminal-label-hint"
          value={label}
          onInput={(event) => setLabel((event.target as HTMLInputElement).value)}
        />
        <details>
          <summary>{t('pair.haveCode')}</summary>
          <label for="pairing-code">{t('pair.code')}</label>
          <input
            id="pairing-code"
            autoComplete="one-time-code"
            value={code}
            onInput={(event) => setCode((event.target as HTMLInputElement).value)}
          />
        </details>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? t('pair.working') : t('pair.submit')}
        </button>
      </form>
    </section>
  );
}
