import { useEffect, useState } from 'preact/hooks';
import { apiJson } from '../api/client.ts';
import type { Program } from '../api/types.ts';
import { currentSession } from '../auth/session.ts';
import { currentLanguage, useLanguage, useT } from '../i18n/index.ts';
import { formatOre, parseKronerInput } from '../money/kroner.ts';
import { ErrorAlert, Field, PageHeading, StatusMessage, useMessage } from '../ui/components.tsx';
import { formatDate, formatDateTime } from '../ui/dates.ts';
import { newRequestId } from '../ui/request-id.ts';
import {
  awaitingSecondOfficer,
  type FundingChallenge,
  type FundingRequest,
  type FundingResult,
  fundingOutcomeText,
  fundingText,
  isOwnRequest,
  type ReclaimChallenge,
  reclaimText,
  requestedByText,
} from './officer-signing.ts';
import { SignedStepDialog, SignedStepProblem, useSignedStep, useSignedStepLabel } from './SignedStep.tsx';

/** A funding request with the program it is for. */
interface ProgramFunding {
  program: Program;
  request: FundingRequest;
}

interface ReclaimResult {
  status: string;
  reclaimedOre: string;
}

/**
 * Finance funds programs from the treasury: the amount is minted as eKrone into the program's
 * escrow once an officer's passkey signs it, and above the municipality's limit once a second,
 * different officer signs it too. Kroner are typed with comma decimals and sent as exact øre.
 * One request id is kept for all retries and for the second officer, so it never funds twice.
 */
export function ProgramsPage() {
  const t = useT();
  const language = useLanguage();
  const label = useSignedStepLabel();
  const [programs, setPrograms] = useState<Program[]>();
  const [fundings, setFundings] = useState<ProgramFunding[]>([]);
  const [fundingsError, setFundingsError] = useState<unknown>();
  const [error, setError] = useState<unknown>();
  const [reclaimed, setReclaimed] = useMessage();
  const reclaimStep = useSignedStep<ReclaimChallenge, ReclaimResult>();

  async function load() {
    let list: Program[];
    try {
      list = await apiJson<Program[]>('GET', '/programs');
      setPrograms(list);
    } catch (caught) {
      return setError(caught);
    }
    // The fundings waiting for a second officer, per program; their failure stays in their section.
    try {
      setFundingsError(undefined);
      const requests = await Promise.all(
        list.map(async (program) =>
          (await apiJson<FundingRequest[]>('GET', `/programs/${program.id}/fundings`)).map((request) => ({
            program,
            request,
          })),
        ),
      );
      setFundings(requests.flat());
    } catch (caught) {
      setFundingsError(caught);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  const nameOf = (programId: string | undefined) =>
    programs?.find((program) => program.id === String(programId))?.name ?? '';

  // After a program's end, what is unspent (escrow and unused grants) goes back to the treasury.
  function reclaim(program: Program) {
    setError(undefined);
    setReclaimed(undefined);
    void reclaimStep.start({
      path: `/programs/${program.id}/reclaim`,
      onSigned: async (result) => {
        setReclaimed(() =>
          t(result.status === 'reclaimed' ? 'funding.reclaimed' : 'funding.reclaimPending', {
            amount: formatOre(result.reclaimedOre, currentLanguage()),
            program: program.name,
          }),
        );
        await load();
      },
    });
  }

  return (
    <>
      <PageHeading>{t('funding.title')}</PageHeading>
      <p>{t('funding.intro')}</p>
      <ErrorAlert error={error} />
      <SignedStepProblem error={reclaimStep.error} />
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
                    <button
                      type="button"
                      class="button"
                      disabled={reclaimStep.busy !== undefined}
                      onClick={() => reclaim(program)}
                    >
                      {label(reclaimStep.busy, t('funding.reclaim', { program: program.name }))}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <StatusMessage>{reclaimed}</StatusMessage>
      {programs && programs.length > 0 ? (
        <>
          <FundForm programs={programs} onFunded={load} />
          <AwaitingFundings fundings={fundings} error={fundingsError} onApproved={load} />
        </>
      ) : null}
      <SignedStepDialog
        step={reclaimStep}
        title={t('signing.reclaim.title', { program: nameOf(reclaimStep.challenge?.programId) })}
        text={(challenge) => reclaimText(t, challenge, nameOf(challenge.programId), language)}
      />
    </>
  );
}

function FundForm({ programs, onFunded }: { programs: Program[]; onFunded: () => Promise<void> }) {
  const t = useT();
  const language = useLanguage();
  const label = useSignedStepLabel();
  const [programId, setProgramId] = useState(programs[0]?.id ?? '');
  const [amountText, setAmountText] = useState('');
  const [problem, setProblem] = useState<string>();
  const [requestId, setRequestId] = useState(newRequestId);
  const [done, setDone] = useMessage();
  const step = useSignedStep<FundingChallenge, FundingResult>();
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
    setDone(undefined);
    const name = program?.name ?? '';
    void step.start({
      path: `/programs/${programId}/funding`,
      fields: { amountOre: amountOre.toString(), requestId },
      onSigned: async (result) => {
        await onFunded();
        setDone(() => fundingOutcomeText(t, result, amountOre, name, currentLanguage()));
        setAmountText('');
        setRequestId(newRequestId());
      },
    });
  }

  return (
    <section class="card" aria-labelledby="fund-title">
      <h2 id="fund-title">{t('funding.formTitle')}</h2>
      <SignedStepProblem error={step.error} />
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
        <button type="submit" class="button button--primary" disabled={step.busy !== undefined}>
          {label(step.busy, t('funding.submit'))}
        </button>
      </form>
      <SignedStepDialog
        step={step}
        title={t('signing.fund.title', { program: program?.name ?? '' })}
        text={(challenge) => fundingText(t, challenge, program?.name ?? '', language)}
      />
    </section>
  );
}

/**
 * Fundings above the limit wait here for a second officer, who signs the same request id and
 * amount. The officer who asked sees why they cannot approve instead of a button that fails.
 */
function AwaitingFundings({
  fundings,
  error,
  onApproved,
}: {
  fundings: ProgramFunding[];
  error: unknown;
  onApproved: () => Promise<void>;
}) {
  const t = useT();
  const language = useLanguage();
  const label = useSignedStepLabel();
  const [done, setDone] = useMessage();
  const step = useSignedStep<FundingChallenge, FundingResult>();
  const [approving, setApproving] = useState<ProgramFunding>();
  const me = currentSession();
  const awaiting = awaitingSecondOfficer(fundings);

  function approve(funding: ProgramFunding) {
    const { program, request } = funding;
    setDone(undefined);
    setApproving(funding);
    void step.start({
      path: `/programs/${program.id}/funding`,
      fields: { amountOre: request.amountOre, requestId: request.requestId },
      onSigned: async (result) => {
        await onApproved();
        const amount = formatOre(request.amountOre, currentLanguage());
        setDone(() =>
          result.status === 'funded'
            ? t('funding.approvedDone', { amount, program: program.name })
            : fundingOutcomeText(t, result, request.amountOre, program.name, currentLanguage()),
        );
      },
    });
  }

  return (
    <section class="card" aria-labelledby="awaiting-title" data-testid="awaiting-fundings">
      <h2 id="awaiting-title">{t('funding.awaitingTitle')}</h2>
      <p class="muted">{t('funding.awaitingIntro')}</p>
      <ErrorAlert error={error} />
      <SignedStepProblem error={step.error} />
      <StatusMessage>{done}</StatusMessage>
      {awaiting.length === 0 ? <p>{t('funding.awaitingNone')}</p> : null}
      {awaiting.length > 0 ? (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('funding.program')}</th>
              <th scope="col" class="number">
                {t('funding.amount')}
              </th>
              <th scope="col">{t('funding.requestedBy')}</th>
              <th scope="col">{t('funding.requestedAt')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('citizen.action')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {awaiting.map((funding) => {
              const { program, request } = funding;
              const own = isOwnRequest(request, me);
              const amount = formatOre(request.amountOre, language);
              const reasonId = `own-funding-${request.requestId}`;
              return (
                <tr key={request.requestId} data-request-id={request.requestId} data-own={own}>
                  <th scope="row">{program.name}</th>
                  <td class="number">{amount}</td>
                  <td>{requestedByText(t, request)}</td>
                  <td>{formatDateTime(request.createdAt, language)}</td>
                  <td>
                    <button
                      type="button"
                      class="button button--primary"
                      disabled={own || step.busy !== undefined}
                      aria-label={t('funding.approveNamed', { amount, program: program.name })}
                      aria-describedby={own ? reasonId : undefined}
                      onClick={() => approve(funding)}
                    >
                      {label(approving === funding ? step.busy : undefined, t('funding.approve'))}
                    </button>
                    {own ? (
                      <p id={reasonId} class="muted">
                        {t('funding.ownRequest')}
                      </p>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <SignedStepDialog
        step={step}
        title={t('funding.approveConfirmTitle', { program: approving?.program.name ?? '' })}
        text={(challenge) =>
          fundingText(t, challenge, approving?.program.name ?? '', language, approving?.request.proposedBy)
        }
      />
    </section>
  );
}
