import { useEffect, useState } from 'preact/hooks';
import { apiJson } from '../api/client.ts';
import type { BulkGrantResponse, Program } from '../api/types.ts';
import { useLanguage, useT } from '../i18n/index.ts';
import { formatOre } from '../money/kroner.ts';
import { Dialog, ErrorAlert, PageHeading, StatusMessage } from '../ui/components.tsx';

/** Grant one published program to every eligible enrolled citizen, after a confirmation. */
export function BulkGrantPage() {
  const t = useT();
  const language = useLanguage();
  const [programs, setPrograms] = useState<Program[]>();
  const [error, setError] = useState<unknown>();
  const [confirming, setConfirming] = useState<Program>();
  const [running, setRunning] = useState<string>();
  const [result, setResult] = useState<{ program: string; response: BulkGrantResponse }>();

  useEffect(() => {
    apiJson<Program[]>('GET', '/programs?status=published').then(setPrograms, setError);
  }, []);

  async function run(program: Program) {
    setConfirming(undefined);
    setRunning(program.id);
    setError(undefined);
    setResult(undefined);
    try {
      const response = await apiJson<BulkGrantResponse>('POST', `/programs/${program.id}/bulk-grant`);
      setResult({ program: program.name, response });
    } catch (caught) {
      setError(caught);
    } finally {
      setRunning(undefined);
    }
  }

  return (
    <>
      <PageHeading>{t('bulk.title')}</PageHeading>
      <p>{t('bulk.intro')}</p>
      <ErrorAlert error={error} />
      {running ? <p role="status">{t('bulk.running')}</p> : null}
      {result ? (
        <StatusMessage>
          <strong>{result.program}: </strong>
          {t('bulk.result', {
            granted: result.response.granted,
            already: result.response.alreadyGranted,
            notEligible: result.response.notEligible,
          })}
          {result.response.budgetExhausted ? <p>{t('bulk.budgetExhausted')}</p> : null}
        </StatusMessage>
      ) : null}
      {programs === undefined && !error ? <p role="status">{t('app.loading')}</p> : null}
      {programs ? (
        <table class="table card">
          <thead>
            <tr>
              <th scope="col">{t('bulk.program')}</th>
              <th scope="col">{t('bulk.budget')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('citizen.action')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {programs.map((program) => (
              <tr key={program.id}>
                <th scope="row">
                  {program.name}
                  <div class="muted">{program.description}</div>
                </th>
                <td class="number">{formatOre(program.budgetOre, language)}</td>
                <td>
                  <button
                    type="button"
                    class="button button--primary"
                    disabled={running !== undefined}
                    onClick={() => setConfirming(program)}
                  >
                    {t('bulk.run', { program: program.name })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Dialog
        title={t('bulk.confirmTitle', { program: confirming?.name ?? '' })}
        open={confirming !== undefined}
        onClose={() => setConfirming(undefined)}
      >
        <p>{t('bulk.confirmText')}</p>
        <div class="actions">
          <button type="button" class="button button--primary" onClick={() => confirming && run(confirming)}>
            {t('bulk.run', { program: confirming?.name ?? '' })}
          </button>
          <button type="button" class="button" onClick={() => setConfirming(undefined)}>
            {t('common.cancel')}
          </button>
        </div>
      </Dialog>
    </>
  );
}
