import { useEffect, useState } from 'preact/hooks';
import { apiJson } from '../api/client.ts';
import type { Program } from '../api/types.ts';
import { currentLanguage, useLanguage, useT } from '../i18n/index.ts';
import { formatOre, parseKronerInput } from '../money/kroner.ts';
import { Dialog, ErrorAlert, Field, PageHeading, StatusMessage, useMessage } from '../ui/components.tsx';
import { formatDate } from '../ui/dates.ts';
import { newRequestId } from '../ui/request-id.ts';

/**
 * Finance funds programs from the treasury: the amount is minted as eKrone into the program's
 * escrow. Kroner are typed with comma decimals and sent as exact øre. One request id is kept
 * for all retries of the same funding, so a lost answer never funds twice.
 */
export function ProgramsPage() {
  const t = useT();
  const language = useLanguage();
  const [programs, setPrograms] = useState<Program[]>();
  const [error, setError] = useState<unknown>();
  const [reclaiming, setReclaiming] = useState<Program>();
  const [reclaimed, setReclaimed] = useMessage();

  async function load() {
    try {
      setPrograms(await apiJson<Program[]>('GET', '/programs'));
    } catch (caught) {
      setError(caught);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  // After a program's end, what is unspent (escrow and unused grants) goes back to the treasury.
  async function reclaim(program: Program) {
    setReclaiming(undefined);
    setError(undefined);
    setReclaimed(undefined);
    try {
      const result = await apiJson<{ status: string; reclaimedOre: string }>(
        'POST',
        `/programs/${program.id}/reclaim`,
      );
      setReclaimed(() =>
        t(result.status === 'reclaimed' ? 'funding.reclaimed' : 'funding.reclaimPending', {
          amount: formatOre(result.reclaimedOre, currentLanguage()),
          program: program.name,
        }),
      );
      await load();
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <>
      <PageHeading>{t('funding.title')}</PageHeading>
      <p>{t('funding.intro')}</p>
      <ErrorAlert error={error} />
      {programs === undefined && !error ? <p role="status">{t('app.loading')}</p> : null}
      {programs ? (
        <table class="table card" data-testid="programs">
          <thead>
            <tr>
              <th scope="col">{t('funding.program')}</th>
              <th scope="col">{t('funding.status')}</th>
              <th scope="col">{t('funding.validity')}</th>
              <th scope="col" class="number">
                {t('funding.budget')}
              </th>
              <th scope="col">
                <span class="visually-hidden">{t('citizen.action')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {programs.map((program) => (
              <tr key={program.id}>
                <th scope="row">{program.name}</th>
                <td>{t(`programs.status.${program.status}`, { defaultValue: program.status })}</td>
                <td>
                  {formatDate(program.validFrom, language)} – {formatDate(program.validUntil, language)}
                </td>
                <td class="number" data-testid={`budget-${program.id}`}>
                  {formatOre(program.budgetOre, language)}
                </td>
                <td>
                  {new Date(program.validUntil).getTime() <= Date.now() ? (
                    <button type="button" class="button" onClick={() => setReclaiming(program)}>
                      {t('funding.reclaim', { program: program.name })}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <StatusMessage>{reclaimed}</StatusMessage>
      {programs && programs.length > 0 ? <FundForm programs={programs} onFunded={load} /> : null}
      <Dialog
        title={t('funding.reclaimConfirmTitle', { program: reclaiming?.name ?? '' })}
        open={reclaiming !== undefined}
        onClose={() => setReclaiming(undefined)}
      >
        <p>{t('funding.reclaimConfirmText')}</p>
        <div class="actions">
          <button
            type="button"
            class="button button--primary"
            onClick={() => reclaiming && reclaim(reclaiming)}
          >
            {t('funding.reclaim', { program: reclaiming?.name ?? '' })}
          </button>
          <button type="button" class="button" onClick={() => setReclaiming(undefined)}>
            {t('common.cancel')}
          </button>
        </div>
      </Dialog>
    </>
  );
}

function FundForm({ programs, onFunded }: { programs: Program[]; onFunded: () => Promise<void> }) {
  const t = useT();
  const language = useLanguage();
  const [programId, setProgramId] = useState(programs[0]?.id ?? '');
  const [amountText, setAmountText] = useState('');
  const [problem, setProblem] = useState<string>();
  const [confirming, setConfirming] = useState<bigint>();
  const [requestId, setRequestId] = useState(newRequestId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useMessage();
  const program = programs.find((candidate) => candidate.id === programId);

  function change(update: () => void) {
    update();
    // A different funding gets a different request id; a retry of the same one keeps it.
    setRequestId(newRequestId());
    setDone(undefined);
  }

  function review(event: Event) {
    event.preventDefault();
    const amountOre = parseKronerInput(amountText, language);
    if (amountOre === undefined) return setProblem(t('validation.amountInvalid'));
    if (amountOre === 0n) return setProblem(t('validation.amountZero'));
    setProblem(undefined);
    setConfirming(amountOre);
  }

  async function fund(amountOre: bigint) {
    setConfirming(undefined);
    setBusy(true);
    setError(undefined);
    try {
      await apiJson('POST', `/programs/${programId}/fund`, { amountOre: amountOre.toString(), requestId });
      await onFunded();
      setDone(() =>
        t('funding.done', { amount: formatOre(amountOre, currentLanguage()), program: program?.name ?? '' }),
      );
      setAmountText('');
      setRequestId(newRequestId());
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" aria-labelledby="fund-title">
      <h2 id="fund-title">{t('funding.formTitle')}</h2>
      <ErrorAlert error={error} />
      <StatusMessage>{done}</StatusMessage>
      <form onSubmit={review} noValidate>
        <div class="field">
          <label for="fund-program">{t('funding.program')}</label>
          <select
            id="fund-program"
            value={programId}
            onChange={(event) => change(() => setProgramId((event.target as HTMLSelectElement).value))}
          >
            {programs.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name}
              </option>
            ))}
          </select>
        </div>
        <Field
          id="fund-amount"
          label={t('funding.amount')}
          hint={t('funding.amountHint')}
          value={amountText}
          onValue={(value) => change(() => setAmountText(value))}
          error={problem}
          inputMode="decimal"
          autoComplete="off"
        />
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? t('funding.busy') : t('funding.submit')}
        </button>
      </form>
      <Dialog
        title={t('funding.confirmTitle')}
        open={confirming !== undefined}
        onClose={() => setConfirming(undefined)}
      >
        <p>
          {t('funding.confirmText', {
            amount: confirming === undefined ? '' : formatOre(confirming, language),
            program: program?.name ?? '',
          })}
        </p>
        <div class="actions">
          <button
            type="button"
            class="button button--primary"
            onClick={() => confirming !== undefined && fund(confirming)}
          >
            {t('funding.confirm')}
          </button>
          <button type="button" class="button" onClick={() => setConfirming(undefined)}>
            {t('common.cancel')}
          </button>
        </div>
      </Dialog>
    </section>
  );
}
