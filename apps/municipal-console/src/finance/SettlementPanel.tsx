import { useState } from 'preact/hooks';
import { ApiError, apiDownload, apiJson, saveFile } from '../api/client.ts';
import type { Period, ReconciliationReport, Settlement, SettlementStatus } from '../api/types.ts';
import { currentSession } from '../auth/session.ts';
import { useLanguage, useT } from '../i18n/index.ts';
import { formatOre } from '../money/kroner.ts';
import { Dialog, ErrorAlert, StatusMessage } from '../ui/components.tsx';
import { formatDate, formatDateTime } from '../ui/dates.ts';
import { BankBurnControls } from './BankBurnControls.tsx';
import { payoutBankState } from './bank-notifications.ts';
import {
  type ApproveChallenge,
  approveText,
  orderedSignatures,
  type ProposeChallenge,
  proposeText,
  signatureText,
} from './officer-signing.ts';
import { SignedStepDialog, SignedStepProblem, useSignedStep, useSignedStepLabel } from './SignedStep.tsx';
import { usePolling, useResource } from './use-resource.ts';

/** States in which the chain has not confirmed the last step yet: the panel polls. */
const IN_FLIGHT: ReadonlySet<SettlementStatus> = new Set(['proposing', 'approving', 'executing']);

interface Props {
  period: Period;
  onChanged: () => Promise<void>;
}

/**
 * Settling one closed period, with the two-officer rule in plain sight: officer A proposes
 * (stating the reconciled total), a different officer B approves, then the providers are paid
 * on chain and the bank file and CSV can be downloaded. The proposer sees why they cannot
 * approve instead of a button that fails.
 */
export function SettlementPanel({ period, onChanged }: Props) {
  const t = useT();
  return (
    <section class="card" aria-labelledby="settlement-title" data-testid="settlement">
      <h2 id="settlement-title">{t('settlement.title', { id: period.periodId })}</h2>
      <p class="muted">{t('settlement.twoOfficers')}</p>
      {period.settlementId ? (
        <SettlementDetail
          key={period.settlementId}
          settlementId={period.settlementId}
          onChanged={onChanged}
        />
      ) : (
        <ProposeSettlement period={period} onChanged={onChanged} />
      )}
    </section>
  );
}

/**
 * Officer A proposes: the challenge names the reconciled total and the providers, the officer
 * reads them and states that total with their passkey (the relay carries it, and the hub
 * checks it again).
 */
function ProposeSettlement({ period, onChanged }: Props) {
  const t = useT();
  const language = useLanguage();
  const label = useSignedStepLabel();
  const step = useSignedStep<ProposeChallenge, Settlement>();
  const isFinance = currentSession()?.role === 'finance';

  function propose() {
    void step.start({
      path: '/settlements',
      fields: { periodId: period.periodId },
      relayFields: (challenge) => ({ totalOre: challenge.totalOre }),
      onSigned: onChanged,
    });
  }

  if (period.status === 'open') return <p>{t('settlement.notClosedYet')}</p>;
  return (
    <>
      <p>{t('settlement.none')}</p>
      <SignedStepProblem error={step.error} />
      <MismatchDifferences error={step.error} />
      {isFinance ? (
        <button
          type="button"
          class="button button--primary"
          disabled={step.busy !== undefined}
          onClick={propose}
        >
          {label(step.busy, t('settlement.propose'))}
        </button>
      ) : null}
      <SignedStepDialog
        step={step}
        title={t('signing.propose.title', { period: period.periodId })}
        text={(challenge) => proposeText(t, challenge, language)}
      />
    </>
  );
}

/** A refused proposal carries the reconciliation report: list what did not match. */
function MismatchDifferences({ error }: { error: unknown }) {
  const t = useT();
  if (!(error instanceof ApiError) || error.code !== 'SETTLEMENT_RECONCILIATION_MISMATCH') return null;
  const report = error.details.report as ReconciliationReport | undefined;
  if (!report || report.differences.length === 0) return null;
  return (
    <>
      <h3>{t('reconciliation.differences')}</h3>
      <ul data-testid="mismatch-differences">
        {report.differences.map((difference, index) => (
          <li key={`${difference.kind}-${index}`}>
            {t('reconciliation.difference', {
              kind: difference.kind,
              provider: difference.providerId ?? '–',
              database: difference.database ?? '–',
              chain: difference.chain ?? '–',
            })}
          </li>
        ))}
      </ul>
    </>
  );
}

function SettlementDetail({
  settlementId,
  onChanged,
}: {
  settlementId: string;
  onChanged: () => Promise<void>;
}) {
  const t = useT();
  const language = useLanguage();
  const label = useSignedStepLabel();
  const settlement = useResource(
    () => apiJson<Settlement>('GET', `/settlements/${settlementId}`),
    [settlementId],
  );
  const [busy, setBusy] = useState<'execute'>();
  const approveStep = useSignedStep<ApproveChallenge, Settlement>();
  const [confirmExecute, setConfirmExecute] = useState(false);
  const [error, setError] = useState<unknown>();
  const [downloaded, setDownloaded] = useState<string>();
  // Payouts this view saw completed on chain (burned): the settlement itself does not say.
  const [completed, setCompleted] = useState<ReadonlySet<number>>(() => new Set());
  const value = settlement.value;
  const session = currentSession();
  const me = session?.staffId;
  const isFinance = session?.role === 'finance';

  const refresh = async () => {
    await settlement.reload();
    await onChanged();
  };
  usePolling(value !== undefined && IN_FLIGHT.has(value.status), refresh);

  // Officer B approves with their passkey, after reading what was proposed and by whom.
  function approve() {
    setError(undefined);
    void approveStep.start({ path: `/settlements/${settlementId}/approve`, onSigned: refresh });
  }

  async function execute() {
    setConfirmExecute(false);
    setBusy('execute');
    setError(undefined);
    try {
      await apiJson<Settlement>('POST', `/settlements/${settlementId}/execute`);
      await refresh();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(undefined);
    }
  }

  async function download(kind: 'bank-file' | 'statement.csv') {
    setError(undefined);
    try {
      const file = await apiDownload(`/settlements/${settlementId}/${kind}`);
      const fallback =
        kind === 'bank-file' ? `pain001-${settlementId}.xml` : `settlement-${settlementId}.csv`;
      saveFile(file.blob, file.filename ?? fallback);
      setDownloaded(file.filename ?? fallback);
    } catch (caught) {
      setError(caught);
    }
  }

  if (!value)
    return settlement.error ? (
      <ErrorAlert error={settlement.error} />
    ) : (
      <p role="status">{t('app.loading')}</p>
    );
  const who = (staffId: string | null) =>
    staffId === me ? t('settlement.you') : t('settlement.anotherOfficer');
  const proposedByMe = value.proposedBy === me;
  const total = formatOre(value.totalOre, language);
  return (
    <div data-settlement-status={value.status}>
      <ErrorAlert error={error ?? settlement.error} />
      <SignedStepProblem error={approveStep.error} />
      <dl class="details">
        <dt>{t('settlement.status')}</dt>
        <dd data-testid="settlement-status">
          {t(`settlement.statuses.${value.status}`, { defaultValue: value.status })}
        </dd>
        <dt>{t('settlement.total')}</dt>
        <dd>
          {total} ({t('periods.providers').toLowerCase()}: {value.providerCount})
        </dd>
        <dt>{t('settlement.paidSoFar')}</dt>
        <dd>{formatOre(value.paidOre, language)}</dd>
        <dt>{t('settlement.proposedBy')}</dt>
        <dd>
          {t('settlement.at', {
            who: who(value.proposedBy),
            date: formatDateTime(value.proposedAt, language),
          })}
        </dd>
        {value.status === 'paid' ? (
          <>
            <dt>{t('settlement.bankStatus')}</dt>
            <dd data-testid="settlement-bank-status" data-bank-status={value.bankStatus}>
              {t(`settlement.bankStatuses.${value.bankStatus}`, {
                confirmed: value.bankConfirmedCount,
                count: value.bankPayoutCount,
                date: value.bankPaidAt ? formatDateTime(value.bankPaidAt, language) : '',
              })}
            </dd>
          </>
        ) : null}
        {value.approvedBy && value.approvedAt ? (
          <>
            <dt>{t('settlement.approvedBy')}</dt>
            <dd>
              {t('settlement.at', {
                who: who(value.approvedBy),
                date: formatDateTime(value.approvedAt, language),
              })}
            </dd>
          </>
        ) : null}
      </dl>
      <Signatures settlement={value} />
      {value.chainError ? (
        <p class="alert alert--error">{t('settlement.chainError', { error: value.chainError })}</p>
      ) : null}
      {IN_FLIGHT.has(value.status) ? <p role="status">{t('settlement.inFlight')}</p> : null}
      {value.status === 'proposed' && isFinance ? (
        <ApproveControls
          proposedByMe={proposedByMe}
          busy={approveStep.busy !== undefined}
          label={label(approveStep.busy, t('settlement.approve'))}
          onApprove={approve}
        />
      ) : null}
      {value.status === 'approved' && isFinance ? (
        <div class="actions">
          <button
            type="button"
            class="button button--primary"
            disabled={busy !== undefined}
            onClick={() => setConfirmExecute(true)}
          >
            {busy === 'execute' ? t('settlement.executing') : t('settlement.execute')}
          </button>
        </div>
      ) : null}
      {value.status === 'paid' ? (
        <>
          <StatusMessage>{t('settlement.paid')}</StatusMessage>
          <div class="actions">
            {isFinance ? (
              <button type="button" class="button button--primary" onClick={() => download('bank-file')}>
                {t('settlement.bankFile')}
              </button>
            ) : null}
            <button type="button" class="button" onClick={() => download('statement.csv')}>
              {t('settlement.csv')}
            </button>
          </div>
          {downloaded ? (
            <p class="visually-hidden" role="status">
              {downloaded}
            </p>
          ) : null}
          {isFinance ? (
            <BankBurnControls
              settlement={value}
              completed={completed}
              onCompleted={(ids) => {
                setCompleted((before) => new Set([...before, ...ids]));
                // Read it again for who signed the completion.
                void settlement.reload();
              }}
            />
          ) : null}
        </>
      ) : null}
      <Payouts settlement={value} completed={completed} />
      <Dialog
        title={t('settlement.executeConfirmTitle', { total })}
        open={confirmExecute}
        onClose={() => setConfirmExecute(false)}
      >
        <p>{t('settlement.executeConfirmText')}</p>
        <div class="actions">
          <button type="button" class="button button--primary" onClick={execute}>
            {t('settlement.execute')}
          </button>
          <button type="button" class="button" onClick={() => setConfirmExecute(false)}>
            {t('common.cancel')}
          </button>
        </div>
      </Dialog>
      <SignedStepDialog
        step={approveStep}
        title={t('signing.approve.title', { period: value.periodId })}
        text={(challenge) => approveText(t, challenge, language)}
      />
    </div>
  );
}

/** Who signed which step, with the name of the device their passkey is on. */
function Signatures({ settlement }: { settlement: Settlement }) {
  const t = useT();
  const language = useLanguage();
  const signatures = orderedSignatures(settlement.signatures);
  if (signatures.length === 0) return null;
  return (
    <>
      <h3>{t('signing.signaturesTitle')}</h3>
      <ul class="signatures" data-testid="signatures">
        {signatures.map((signature) => (
          <li key={`${signature.step}-${signature.signedAt}`} data-step={signature.step}>
            {signatureText(t, signature, language)}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Approve, or for the officer who proposed: a disabled button with the reason beside it. */
function ApproveControls({
  proposedByMe,
  busy,
  label,
  onApprove,
}: {
  proposedByMe: boolean;
  busy: boolean;
  label: string;
  onApprove: () => void;
}) {
  const t = useT();
  return (
    <div class="approve">
      {proposedByMe ? (
        <p class="alert alert--info" role="status" data-testid="waiting-for-other-officer">
          {t('settlement.waitingForOther')}
        </p>
      ) : null}
      <div class="actions">
        <button
          type="button"
          class="button button--primary"
          disabled={proposedByMe || busy}
          aria-describedby={proposedByMe ? 'approve-disabled-reason' : undefined}
          onClick={onApprove}
        >
          {label}
        </button>
      </div>
      {proposedByMe ? (
        <p id="approve-disabled-reason" class="muted">
          {t('settlement.approveDisabledReason')}
        </p>
      ) : null}
    </div>
  );
}

function Payouts({ settlement, completed }: { settlement: Settlement; completed: ReadonlySet<number> }) {
  const t = useT();
  const language = useLanguage();
  if (settlement.payouts.length === 0) return null;
  return (
    <>
      <h3>{t('settlement.payouts')}</h3>
      <table class="table" data-testid="payouts">
        <thead>
          <tr>
            <th scope="col">{t('statements.provider')}</th>
            <th scope="col" class="number">
              {t('statements.redemptions')}
            </th>
            <th scope="col" class="number">
              {t('statements.amount')}
            </th>
            <th scope="col">{t('statements.status')}</th>
            <th scope="col">{t('settlement.bank')}</th>
          </tr>
        </thead>
        <tbody>
          {settlement.payouts.map((payout) => {
            const bank = payoutBankState(payout, settlement.status);
            return (
              <tr
                key={payout.providerId}
                data-bank-state={bank.kind}
                data-on-chain={completed.has(payout.providerId) ? 'completed' : undefined}
              >
                <th scope="row">{payout.providerName}</th>
                <td class="number">{payout.redemptionCount}</td>
                <td class="number">{formatOre(payout.amountOre, language)}</td>
                <td>{t(`settlement.payoutStatus.${payout.status}`, { defaultValue: payout.status })}</td>
                <td>
                  {t(`settlement.bankStates.${bank.kind}`, {
                    date: bank.kind === 'confirmed' ? formatDate(bank.at, language) : '',
                  })}
                  {completed.has(payout.providerId) ? (
                    <>
                      <br />
                      <span class="badge badge--ok">{t('settlement.burn.completed')}</span>
                    </>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
