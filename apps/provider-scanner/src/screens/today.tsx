import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api.ts';
import { correctionFor, type RedemptionLine, reversalState, reversedKind } from '../corrections.ts';
import { language, useT } from '../i18n.ts';
import { danishDay, formatDate, formatOre, formatTime, localDay } from '../money.ts';
import {
  prepareReversal,
  type ReversalOutcome,
  type ReversalRequest,
  submitReversal,
} from '../reversal-flow.ts';
import { pendingReversalStore, type ReversalKind, type StaffSession, type Terminal } from '../store.ts';
import { CorrectionResult, RefundForm, VoidConfirm } from './correct.tsx';

/** GET with the staff token; null while loading, an ApiError when refused or offline. */
function useStaffData<T>(session: StaffSession, path: string, version = 0): T | ApiError | null {
  const [result, setResult] = useState<T | ApiError | null>(null);
  useEffect(() => {
    let cancelled = false;
    api<T>(path, { token: session.token }).then(
      (data) => !cancelled && setResult(data),
      (error) => !cancelled && setResult(error instanceof ApiError ? error : new ApiError(0, 'OFFLINE', '')),
    );
    return () => {
      cancelled = true;
    };
  }, [session, path, version]);
  return result;
}

function Problem({ error }: { error: ApiError }) {
  const t = useT();
  return (
    <p class="notice">
      {error.status === 404 ? t('common.notAvailable') : error.message || t('common.offline')}
    </p>
  );
}

/** A citizen's dispute of one of this provider's redemptions (GET /providers/:id/disputes). */
interface ProviderDispute {
  id: string;
  terminal: string;
  redemptionId: string;
  programName: string;
  amountOre: string;
  redeemedAt: string;
  reason: string;
  status: string;
  refundedOre?: string;
  createdAt: string;
}

type Step =
  | { name: 'list' }
  | { name: 'void'; line: RedemptionLine }
  | { name: 'refund'; line: RedemptionLine; dispute?: ProviderDispute }
  | { name: 'result'; outcome: ReversalOutcome; line?: RedemptionLine };

export function TodayScreen({
  session,
  terminal,
  onAuthError,
}: {
  session: StaffSession;
  terminal: Terminal;
  /** A refused token: the app signs out. */
  onAuthError: (error: unknown) => boolean;
}) {
  const t = useT();
  const [version, setVersion] = useState(0);
  const [step, setStep] = useState<Step>({ name: 'list' });
  const [sending, setSending] = useState(false);
  // A void or refund sent earlier that never got a final answer.
  const [unfinished, setUnfinished] = useState(false);
  // Why a dispute could not be refunded: our own text by key (it follows a language switch), or the API's.
  const [problem, setProblem] = useState<{ key: string } | { message: string } | undefined>();
  useEffect(() => {
    pendingReversalStore.read().then((pending) => setUnfinished(pending !== undefined));
  }, [version]);

  async function finish(run: () => Promise<ReversalOutcome>, kind: ReversalKind, line?: RedemptionLine) {
    setSending(true);
    try {
      setStep({ name: 'result', outcome: await run(), line });
    } catch (error) {
      if (!onAuthError(error)) {
        const message = error instanceof ApiError ? error.message : String(error);
        setStep({
          name: 'result',
          outcome: { kind: 'failure', reversal: kind, code: 'CLIENT', message },
          line,
        });
      }
    } finally {
      setSending(false);
    }
  }

  function send(line: RedemptionLine, request: ReversalRequest) {
    return finish(
      async () => submitReversal(session, await prepareReversal(terminal, line, request)),
      request.kind,
      line,
    );
  }

  async function retry(line?: RedemptionLine) {
    const pending = await pendingReversalStore.read();
    if (!pending) return backToList();
    return finish(() => submitReversal(session, pending), pending.body.kind, line);
  }

  /** A dispute names a redemption; its line (with what the terminal signed) is on that day's list. */
  async function refundDispute(dispute: ProviderDispute) {
    setProblem(undefined);
    try {
      const lines = await api<RedemptionLine[]>(
        `/providers/${session.providerId}/redemptions?date=${danishDay(dispute.redeemedAt)}`,
        { token: session.token },
      );
      const line = lines.find(
        (candidate) =>
          candidate.terminal.toLowerCase() === dispute.terminal.toLowerCase() &&
          candidate.redemptionId === dispute.redemptionId,
      );
      if (!line?.signed || reversalState(line).reversibleOre === 0n) {
        return setProblem({ key: 'disputes.cannotRefund' });
      }
      setStep({ name: 'refund', line, dispute });
    } catch (error) {
      if (!onAuthError(error))
        setProblem({ message: error instanceof ApiError ? error.message : String(error) });
    }
  }

  function backToList() {
    setProblem(undefined);
    setStep({ name: 'list' });
    setVersion((n) => n + 1);
  }

  if (step.name === 'void') {
    const line = step.line;
    return (
      <VoidConfirm
        line={line}
        sending={sending}
        onConfirm={(reason) => send(line, { kind: 'void', reason, amountOre: BigInt(line.amountOre) })}
        onBack={backToList}
      />
    );
  }
  if (step.name === 'refund') {
    const { line, dispute } = step;
    return (
      <RefundForm
        line={line}
        forDispute={dispute}
        sending={sending}
        onConfirm={(amountOre, reason) =>
          send(line, { kind: 'refund', reason, amountOre, disputeId: dispute?.id })
        }
        onBack={backToList}
      />
    );
  }
  if (step.name === 'result') {
    const { outcome, line } = step;
    const tooLate =
      outcome.kind === 'failure' && outcome.code === 'REVERSAL_PERIOD_CLOSED' && line !== undefined;
    return (
      <CorrectionResult
        outcome={outcome}
        sending={sending}
        onRetry={() => retry(line)}
        onDone={backToList}
        // The period closed since the list was loaded: the same line, now as a refund.
        onRefundInstead={
          tooLate && line ? () => setStep({ name: 'refund', line: { ...line, voidable: false } }) : undefined
        }
      />
    );
  }
  return (
    <TodayList
      session={session}
      version={version}
      unfinished={unfinished}
      sending={sending}
      problem={problem && ('key' in problem ? t(problem.key) : problem.message)}
      onRetryUnfinished={() => retry()}
      onVoid={(line) => setStep({ name: 'void', line })}
      onRefund={(line) => setStep({ name: 'refund', line })}
      onRefundDispute={refundDispute}
    />
  );
}

function TodayList({
  session,
  version,
  unfinished,
  sending,
  problem,
  onRetryUnfinished,
  onVoid,
  onRefund,
  onRefundDispute,
}: {
  session: StaffSession;
  version: number;
  unfinished: boolean;
  sending: boolean;
  problem: string | undefined;
  onRetryUnfinished: () => void;
  onVoid: (line: RedemptionLine) => void;
  onRefund: (line: RedemptionLine) => void;
  onRefundDispute: (dispute: ProviderDispute) => void;
}) {
  const t = useT();
  const lang = language();
  const data = useStaffData<RedemptionLine[]>(
    session,
    `/providers/${session.providerId}/redemptions?date=${localDay()}`,
    version,
  );
  const rows = data instanceof ApiError || data === null ? [] : data;
  // Refused attempts are listed (staff may be asked about them) but add nothing to the total;
  // what was voided or refunded is taken off.
  const total = rows
    .filter((row) => row.status === 'confirmed')
    .reduce((sum, row) => sum + reversalState(row).netOre, 0n);
  return (
    <section aria-labelledby="today-heading">
      <h1 id="today-heading" tabIndex={-1}>
        {t('today.heading')}
      </h1>
      {unfinished ? (
        <div class="notice" role="status">
          <p>{t('correct.unfinished')}</p>
          <button type="button" disabled={sending} onClick={onRetryUnfinished}>
            {sending ? t('correct.sending') : t('result.retry')}
          </button>
        </div>
      ) : null}
      {problem ? (
        <p class="notice" role="alert">
          {problem}
        </p>
      ) : null}
      <OpenDisputes session={session} version={version} onRefund={onRefundDispute} />
      {data === null ? <p>{t('common.loading')}</p> : null}
      {data instanceof ApiError ? <Problem error={data} /> : null}
      {data !== null && !(data instanceof ApiError) && rows.length === 0 ? <p>{t('today.empty')}</p> : null}
      {rows.length > 0 ? <p class="big">{t('today.total', { amount: formatOre(total, lang) })}</p> : null}
      <ul class="list">
        {rows.map((row) => (
          <TodayLine
            key={`${row.terminal}:${row.redemptionId}`}
            session={session}
            row={row}
            onVoid={() => onVoid(row)}
            onRefund={() => onRefund(row)}
          />
        ))}
      </ul>
    </section>
  );
}

/** A line's voids and refunds, fetched only for a line something was given back of. */
function useReversals(session: StaffSession, row: RedemptionLine) {
  const [reversals, setReversals] = useState<{ kind: ReversalKind; status?: string }[]>();
  const needed = reversalState(row).reversedOre > 0n && !row.reversals;
  useEffect(() => {
    if (!needed) return;
    let cancelled = false;
    api<{ reversals: { kind: ReversalKind; status?: string }[] }>(
      `/redemptions/${row.terminal}/${row.redemptionId}/reversals`,
      { token: session.token },
    ).then(
      (answer) => !cancelled && setReversals(answer.reversals),
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [session, row.terminal, row.redemptionId, row.reversedOre, needed]);
  return reversals;
}

function TodayLine({
  session,
  row,
  onVoid,
  onRefund,
}: {
  session: StaffSession;
  row: RedemptionLine;
  onVoid: () => void;
  onRefund: () => void;
}) {
  const t = useT();
  const lang = language();
  const { reversedOre, netOre } = reversalState(row);
  const kind = reversedKind(row, useReversals(session, row));
  const action = correctionFor(row);
  const amount = formatOre(row.amountOre, lang);
  const time = formatTime(row.createdAt, lang);
  return (
    <li data-status={row.status} data-reversed={reversedOre > 0n ? reversedOre.toString() : undefined}>
      <strong>
        {reversedOre > 0n ? <s>{amount}</s> : amount}
        {row.status === 'confirmed'
          ? ''
          : ` (${t(`today.status_${row.status === 'rejected' ? 'rejected' : 'pending'}`)})`}
      </strong>
      {reversedOre > 0n ? (
        <span class="reversed" data-kind={kind}>
          {kind === 'void' ? `${t('today.voided')} · ` : null}
          {kind === 'refund' ? `${t('today.refunded', { amount: formatOre(reversedOre, lang) })} · ` : null}
          {t('today.net', { amount: formatOre(netOre, lang) })}
        </span>
      ) : null}
      <span class="hint">
        {row.programName} · {time} · #{row.redemptionId}
      </span>
      {action ? (
        <button type="button" class="secondary line-action" onClick={action === 'void' ? onVoid : onRefund}>
          {t(action === 'void' ? 'today.void' : 'today.refund')}
          <span class="visually-hidden"> {t('today.lineName', { amount, time })}</span>
        </button>
      ) : null}
    </li>
  );
}

/** Citizens' open disputes of this provider's redemptions, each refundable from here. */
function OpenDisputes({
  session,
  version,
  onRefund,
}: {
  session: StaffSession;
  version: number;
  onRefund: (dispute: ProviderDispute) => void;
}) {
  const t = useT();
  const lang = language();
  const data = useStaffData<ProviderDispute[] | { disputes: ProviderDispute[] }>(
    session,
    `/providers/${session.providerId}/disputes?status=open`,
    version,
  );
  // An API without disputes (or a refusal) shows nothing: the day's list is what matters here.
  if (data === null || data instanceof ApiError) return null;
  const open = (Array.isArray(data) ? data : data.disputes).filter((dispute) => dispute.status === 'open');
  if (open.length === 0) return null;
  return (
    <section aria-labelledby="disputes-heading" class="disputes">
      <h2 id="disputes-heading">{t('disputes.heading')}</h2>
      <p class="hint">{t('disputes.intro')}</p>
      <ul class="list">
        {open.map((dispute) => {
          const amount = formatOre(dispute.amountOre, lang);
          const when = t('disputes.when', {
            date: formatDate(dispute.redeemedAt, lang),
            time: formatTime(dispute.redeemedAt, lang),
          });
          return (
            <li key={dispute.id} data-dispute-id={dispute.id}>
              <strong>{amount}</strong>
              <span>{t(`disputes.reason_${dispute.reason}`, { defaultValue: dispute.reason })}</span>
              <span class="hint">
                {dispute.programName} · {when} · #{dispute.redemptionId}
              </span>
              <button type="button" class="secondary line-action" onClick={() => onRefund(dispute)}>
                {t('disputes.refund')}
                <span class="visually-hidden"> {t('disputes.refundName', { amount, when })}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

interface Statement {
  /** A provider serving several municipalities has one statement per municipality and period. */
  municipalityId?: number;
  municipalityName?: string;
  periodId: string | number;
  redemptionCount?: number;
  totalOre: string;
  status: string;
  startsAt?: string;
  endsAt?: string;
  paidAt?: string | null;
}

/** "open", "awaiting settlement" / "awaiting_settlement", "paid": one word each for the screen. */
function statusKey(status: string): 'open' | 'awaiting' | 'paid' {
  if (/paid/i.test(status)) return 'paid';
  if (/await|closed|settl/i.test(status)) return 'awaiting';
  return 'open';
}

export function StatementsScreen({ session }: { session: StaffSession }) {
  const t = useT();
  const lang = language();
  const data = useStaffData<Statement[] | { statements: Statement[] }>(
    session,
    `/providers/${session.providerId}/statements`,
  );
  const rows = data instanceof ApiError || data === null ? [] : Array.isArray(data) ? data : data.statements;
  return (
    <section aria-labelledby="statements-heading">
      <h1 id="statements-heading" tabIndex={-1}>
        {t('statements.heading')}
      </h1>
      {data === null ? <p>{t('common.loading')}</p> : null}
      {data instanceof ApiError ? <Problem error={data} /> : null}
      {data !== null && !(data instanceof ApiError) && rows.length === 0 ? (
        <p>{t('statements.empty')}</p>
      ) : null}
      <ul class="list">
        {rows.map((row) => {
          const key = statusKey(row.status);
          return (
            <li
              key={`${row.municipalityId ?? ''}:${row.periodId}`}
              data-period-id={String(row.periodId)}
              data-municipality-id={row.municipalityId}
              data-status={key}
            >
              <strong>
                {row.municipalityName
                  ? t('statements.municipalityPeriod', {
                      municipality: row.municipalityName,
                      id: row.periodId,
                    })
                  : t('statements.period', { id: row.periodId })}
                : {formatOre(row.totalOre, lang)}
              </strong>
              <span class="hint">
                {row.redemptionCount != null
                  ? `${t('statements.count', { count: row.redemptionCount })} · `
                  : ''}
                <span class={`status ${key}`}>{t(`statements.status_${key}`)}</span>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
