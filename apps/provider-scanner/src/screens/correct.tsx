import { useState } from 'preact/hooks';
import { type RedemptionLine, reversalState } from '../corrections.ts';
import { language, useT } from '../i18n.ts';
import { formatOre, formatTime, parseKroner } from '../money.ts';
import type { ReversalOutcome } from '../reversal-flow.ts';
import type { ReversalReason } from '../store.ts';

/** The reasons a cashier picks from; "dispute" is set only when refunding a citizen's dispute. */
const COUNTER_REASONS = ['mistyped', 'cancelled', 'returned', 'other'] as const;

function ReasonChoice({
  value,
  onChange,
  disabled,
}: {
  value: ReversalReason;
  onChange: (reason: ReversalReason) => void;
  disabled: boolean;
}) {
  const t = useT();
  return (
    <fieldset class="vouchers">
      <legend>{t('correct.reasonLegend')}</legend>
      {COUNTER_REASONS.map((reason) => (
        <label key={reason} class="voucher">
          <input
            type="radio"
            name="reason"
            value={reason}
            disabled={disabled}
            checked={value === reason}
            onChange={() => onChange(reason)}
          />
          <span>{t(`correct.reason_${reason}`)}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** "Annullér 150,00 kr.?": the whole amount back to the citizen, off the open period's claim. */
export function VoidConfirm({
  line,
  sending,
  onConfirm,
  onBack,
}: {
  line: RedemptionLine;
  sending: boolean;
  onConfirm: (reason: ReversalReason) => void;
  onBack: () => void;
}) {
  const t = useT();
  const lang = language();
  const [reason, setReason] = useState<ReversalReason>('mistyped');
  const amount = formatOre(line.amountOre, lang);
  return (
    <section aria-labelledby="void-heading" data-correction="void">
      <h1 id="void-heading" tabIndex={-1}>
        {t('correct.voidHeading', { amount })}
      </h1>
      <p class="big">
        {t('correct.line', { program: line.programName, time: formatTime(line.createdAt, lang) })}
      </p>
      <p>{t('correct.voidText')}</p>
      <ReasonChoice value={reason} onChange={setReason} disabled={sending} />
      <button type="button" disabled={sending} onClick={() => onConfirm(reason)}>
        {sending ? t('correct.sending') : t('correct.voidConfirm')}
      </button>
      <button type="button" class="secondary" disabled={sending} onClick={onBack}>
        {t('correct.back')}
      </button>
    </section>
  );
}

/** A refund of the whole or part of what is left, typed in kroner, then confirmed. */
export function RefundForm({
  line,
  forDispute,
  sending,
  onConfirm,
  onBack,
}: {
  line: RedemptionLine;
  /** Refunding a citizen's dispute: the reason is the dispute, and the amount starts at what it names. */
  forDispute?: { amountOre: string };
  sending: boolean;
  onConfirm: (amountOre: bigint, reason: ReversalReason) => void;
  onBack: () => void;
}) {
  const t = useT();
  const lang = language();
  const { reversibleOre } = reversalState(line);
  const suggested =
    forDispute && BigInt(forDispute.amountOre) < reversibleOre ? BigInt(forDispute.amountOre) : reversibleOre;
  // The scanner's parser reads Danish kroner in both languages; "1.500,00 kr." minus the unit is one.
  const [amount, setAmount] = useState(formatOre(suggested, 'da').replace(/\s*kr\.$/, ''));
  const [reason, setReason] = useState<ReversalReason>(forDispute ? 'dispute' : 'returned');
  const [error, setError] = useState<string | undefined>();
  const [confirming, setConfirming] = useState<bigint | undefined>();
  const max = formatOre(reversibleOre, lang);

  function next(event: Event) {
    event.preventDefault();
    const parsed = parseKroner(amount);
    if (!parsed.ok) {
      return setError(parsed.reason === 'zero' ? t('redeem.amountZero') : t('redeem.amountFormat'));
    }
    if (parsed.ore > reversibleOre) return setError(t('correct.refundTooLarge', { amount: max }));
    setError(undefined);
    setConfirming(parsed.ore);
  }

  if (confirming !== undefined) {
    return (
      <section aria-labelledby="refund-confirm-heading" data-correction="refund-confirm">
        <h1 id="refund-confirm-heading" tabIndex={-1}>
          {t('correct.refundConfirmHeading', { amount: formatOre(confirming, lang) })}
        </h1>
        <p class="big">
          {t('correct.line', { program: line.programName, time: formatTime(line.createdAt, lang) })}
        </p>
        <p>{t('correct.refundText')}</p>
        <p class="hint">
          {t('correct.reasonLegend')}: {t(`correct.reason_${reason}`)}
        </p>
        <button type="button" disabled={sending} onClick={() => onConfirm(confirming, reason)}>
          {sending ? t('correct.sending') : t('correct.refundConfirm')}
        </button>
        <button type="button" class="secondary" disabled={sending} onClick={() => setConfirming(undefined)}>
          {t('correct.back')}
        </button>
      </section>
    );
  }

  return (
    <section aria-labelledby="refund-heading" data-correction="refund">
      <h1 id="refund-heading" tabIndex={-1}>
        {t('correct.refundHeading')}
      </h1>
      <p class="big">
        {formatOre(line.amountOre, lang)} ·{' '}
        {t('correct.line', { program: line.programName, time: formatTime(line.createdAt, lang) })}
      </p>
      <form onSubmit={next} noValidate>
        <label for="refund-amount">{t('correct.refundAmount')}</label>
        <p id="refund-amount-hint" class="hint">
          {t('correct.refundAmountHint', { amount: max })}
        </p>
        <input
          id="refund-amount"
          inputMode="decimal"
          autoComplete="off"
          aria-describedby={error ? 'refund-amount-hint refund-amount-error' : 'refund-amount-hint'}
          aria-invalid={error ? 'true' : undefined}
          value={amount}
          onInput={(event) => setAmount((event.target as HTMLInputElement).value)}
        />
        {error ? (
          <p id="refund-amount-error" class="error" role="alert">
            {error}
          </p>
        ) : null}
        {forDispute ? (
          <p class="hint">
            {t('correct.reasonLegend')}: {t('correct.reason_dispute')}
          </p>
        ) : (
          <ReasonChoice value={reason} onChange={setReason} disabled={false} />
        )}
        <button type="submit">{t('correct.next')}</button>
        <button type="button" class="secondary" onClick={onBack}>
          {t('correct.back')}
        </button>
      </form>
    </section>
  );
}

/** One look tells the cashier whether the money went back. */
export function CorrectionResult({
  outcome,
  sending,
  onRetry,
  onDone,
  onRefundInstead,
}: {
  outcome: ReversalOutcome;
  sending: boolean;
  onRetry: () => void;
  onDone: () => void;
  /** Offered when a void came too late (the period closed): refund instead. */
  onRefundInstead?: () => void;
}) {
  const t = useT();
  const lang = language();
  let heading: string;
  let text: string;
  if (outcome.kind === 'confirmed') {
    const amount = formatOre(outcome.amountOre, lang);
    heading = t(outcome.reversal === 'void' ? 'correct.voidedHeading' : 'correct.refundedHeading');
    text = outcome.creditRestored
      ? t(`correct.${outcome.reversal === 'void' ? 'voided' : 'refunded'}`, { amount })
      : t(`correct.${outcome.reversal === 'void' ? 'voided' : 'refunded'}NotRestored`, { amount });
  } else if (outcome.kind === 'pending') {
    heading = t('correct.pendingHeading');
    text = t(outcome.reversal === 'void' ? 'correct.voidPending' : 'correct.refundPending', {
      amount: formatOre(outcome.amountOre, lang),
    });
  } else if (outcome.kind === 'failure') {
    heading = t(outcome.reversal === 'void' ? 'correct.voidFailedHeading' : 'correct.refundFailedHeading');
    text = outcome.message;
  } else {
    heading = t('result.interruptedHeading');
    text = t('correct.interrupted');
  }
  const look = outcome.kind === 'confirmed' ? 'success' : outcome.kind;
  return (
    <section
      aria-labelledby="correction-heading"
      class={`result ${look}`}
      data-result={outcome.kind}
      data-code={outcome.kind === 'failure' ? outcome.code : undefined}
    >
      <h1 id="correction-heading" tabIndex={-1}>
        <span aria-hidden="true">
          {outcome.kind === 'confirmed' ? '✓ ' : outcome.kind === 'failure' ? '✕ ' : '… '}
        </span>
        {heading}
      </h1>
      <p class="big" role="status">
        {text}
      </p>
      {outcome.kind === 'failure' && onRefundInstead ? (
        <button type="button" onClick={onRefundInstead}>
          {t('correct.refundInstead')}
        </button>
      ) : null}
      {outcome.kind === 'interrupted' || outcome.kind === 'pending' ? (
        <button type="button" disabled={sending} onClick={onRetry}>
          {sending
            ? t('correct.sending')
            : t(outcome.kind === 'pending' ? 'correct.checkAgain' : 'result.retry')}
        </button>
      ) : null}
      <button
        type="button"
        class={
          outcome.kind === 'confirmed' || (outcome.kind === 'failure' && !onRefundInstead)
            ? undefined
            : 'secondary'
        }
        disabled={sending}
        onClick={onDone}
      >
        {t('correct.done')}
      </button>
    </section>
  );
}
