import { useState } from 'preact/hooks';
import { apiJson } from '../api/client.ts';
import type { ProgramEligibility } from '../api/types.ts';
import { useT } from '../i18n/index.ts';
import { ErrorAlert, StatusMessage, useMessage } from '../ui/components.tsx';

interface Props {
  citizenId: string;
  eligibility: ProgramEligibility[];
  onGranted: () => Promise<void>;
}

/** Which programs the citizen qualifies for, why, and a grant button for each open one. */
export function EligibilityTable({ citizenId, eligibility, onGranted }: Props) {
  const t = useT();
  const [busyProgram, setBusyProgram] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [granted, setGranted] = useMessage();

  async function grant(program: ProgramEligibility) {
    setBusyProgram(program.programId);
    setError(undefined);
    setGranted(undefined);
    try {
      await apiJson('POST', `/citizens/${citizenId}/grants`, { programId: program.programId });
      await onGranted();
      setGranted(() => t('citizen.granted', { program: program.programName }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusyProgram(undefined);
    }
  }

  return (
    <section class="card" aria-labelledby="eligibility-title">
      <h2 id="eligibility-title">{t('citizen.eligibility')}</h2>
      <p class="muted">{t('citizen.eligibilityIntro')}</p>
      <ErrorAlert error={error} />
      <StatusMessage>{granted}</StatusMessage>
      {eligibility.length === 0 ? (
        <p>{t('citizen.noPrograms')}</p>
      ) : (
        <table class="table" data-testid="eligibility">
          <thead>
            <tr>
              <th scope="col">{t('citizen.program')}</th>
              <th scope="col">{t('citizen.status')}</th>
              <th scope="col">{t('citizen.reasons')}</th>
              <th scope="col">{t('citizen.action')}</th>
            </tr>
          </thead>
          <tbody>
            {eligibility.map((program) => (
              <tr key={program.programId}>
                <th scope="row">{program.programName}</th>
                <td>
                  <span class={`badge ${program.eligible ? 'badge--ok' : 'badge--no'}`}>
                    {program.alreadyGranted
                      ? t('citizen.alreadyGranted')
                      : program.eligible
                        ? t('citizen.eligible')
                        : t('citizen.notEligible')}
                  </span>
                </td>
                <td>
                  {program.reasons
                    .map((reason) => t(`citizen.reasonCodes.${reason}`, { defaultValue: reason }))
                    .join(', ')}
                </td>
                <td>
                  {program.eligible && !program.alreadyGranted ? (
                    <button
                      type="button"
                      class="button button--primary"
                      disabled={busyProgram !== undefined}
                      onClick={() => grant(program)}
                    >
                      {busyProgram === program.programId
                        ? t('citizen.granting')
                        : t('citizen.grant', { program: program.programName })}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
