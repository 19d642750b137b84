import { useState } from 'preact/hooks';
import { ApiError, apiJson } from '../api/client.ts';
import { useT } from '../i18n/index.ts';
import { ErrorAlert, Field, PageHeading, StatusMessage } from '../ui/components.tsx';
import { CitizenView } from './CitizenView.tsx';
import { parseCpr } from './cpr.ts';
import { EnrolForm } from './EnrolForm.tsx';

type Mode =
  | { kind: 'search'; notice?: 'erased' }
  | { kind: 'enrol'; cpr: string }
  | { kind: 'view'; citizenId: string; notice?: 'enrolled' };

/**
 * The caseworker's desk: find a citizen by CPR number (sent in a POST body, never in the
 * URL), enrol one who is not found, then work on the citizen. The citizen being worked on
 * is held in memory only, so nothing about them lands in the address bar or history.
 */
export function CitizensPage() {
  const t = useT();
  const [mode, setMode] = useState<Mode>({ kind: 'search' });

  if (mode.kind === 'enrol') {
    return (
      <EnrolForm
        initialCpr={mode.cpr}
        onEnrolled={(citizenId) => setMode({ kind: 'view', citizenId, notice: 'enrolled' })}
        onCancel={() => setMode({ kind: 'search' })}
      />
    );
  }
  if (mode.kind === 'view') {
    return (
      <>
        <p>
          <button type="button" class="button button--link" onClick={() => setMode({ kind: 'search' })}>
            ← {t('citizens.backToSearch')}
          </button>
        </p>
        <CitizenView
          key={mode.citizenId}
          citizenId={mode.citizenId}
          notice={mode.notice}
          onErased={() => setMode({ kind: 'search', notice: 'erased' })}
        />
      </>
    );
  }
  return (
    <>
      <PageHeading>{t('citizens.title')}</PageHeading>
      <StatusMessage>{mode.notice === 'erased' ? t('citizen.erased') : null}</StatusMessage>
      <CitizenSearch
        onFound={(citizenId) => setMode({ kind: 'view', citizenId })}
        onEnrol={(cpr) => setMode({ kind: 'enrol', cpr })}
      />
    </>
  );
}

function CitizenSearch({
  onFound,
  onEnrol,
}: {
  onFound: (citizenId: string) => void;
  onEnrol: (cpr: string) => void;
}) {
  const t = useT();
  const [cpr, setCpr] = useState('');
  const [problem, setProblem] = useState<string>();
  const [notFound, setNotFound] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function search(event: Event) {
    event.preventDefault();
    setNotFound(false);
    setError(undefined);
    if (!parseCpr(cpr)) {
      setProblem(t(cpr.trim() ? 'validation.cprInvalid' : 'validation.required'));
      return;
    }
    setProblem(undefined);
    setBusy(true);
    try {
      const found = await apiJson<{ citizenId: string }>('POST', '/citizens/lookup', { cpr: cpr.trim() });
      onFound(found.citizenId);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 404) setNotFound(true);
      else setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" aria-labelledby="find-title">
      <h2 id="find-title">{t('citizens.findTitle')}</h2>
      <form onSubmit={search} noValidate class="inline-form">
        <Field
          id="find-cpr"
          label={t('citizens.cprLabel')}
          hint={t('citizens.cprHint')}
          value={cpr}
          onValue={setCpr}
          error={problem}
          inputMode="numeric"
          autoComplete="off"
          spellcheck={false}
          maxLength={16}
        />
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? t('citizens.searching') : t('citizens.find')}
        </button>
      </form>
      <ErrorAlert error={error} />
      {notFound ? (
        <div class="alert alert--info" role="status">
          <p>{t('citizens.notFound')}</p>
          <button type="button" class="button" onClick={() => onEnrol(cpr.trim())}>
            {t('citizens.enrolThis')}
          </button>
        </div>
      ) : null}
      <p>
        <button type="button" class="button" onClick={() => onEnrol('')}>
          {t('citizens.enrolNew')}
        </button>
      </p>
    </section>
  );
}
