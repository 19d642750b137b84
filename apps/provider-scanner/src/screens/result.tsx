import { language, useT } from '../i18n.ts';
import { formatOre } from '../money.ts';
import { MunicipalityLine } from './redeem.tsx';

export type Outcome =
  | { kind: 'success'; amountOre: string; programName: string; municipalityName?: string }
  | { kind: 'failure'; message: string; code: string }
  | { kind: 'pending' }
  | { kind: 'interrupted' };

/** One look tells the shop assistant whether to hand over the goods. */
export function ResultScreen({
  outcome,
  onRetry,
  onNext,
}: {
  outcome: Outcome;
  onRetry: () => void;
  onNext: () => void;
}) {
  const t = useT();
  const lang = language();
  const heading =
    outcome.kind === 'success'
      ? t('result.successHeading')
      : outcome.kind === 'failure'
        ? t('result.failureHeading')
        : outcome.kind === 'pending'
          ? t('result.pendingHeading')
          : t('result.interruptedHeading');
  const text =
    outcome.kind === 'success'
      ? t('result.success', { amount: formatOre(outcome.amountOre, lang), program: outcome.programName })
      : outcome.kind === 'failure'
        ? outcome.message
        : outcome.kind === 'pending'
          ? t('result.pending')
          : t('result.interrupted');
  return (
    <section
      aria-labelledby="result-heading"
      class={`result ${outcome.kind}`}
      data-result={outcome.kind}
      data-code={outcome.kind === 'failure' ? outcome.code : undefined}
    >
      <h1 id="result-heading" tabIndex={-1}>
        <span aria-hidden="true">
          {outcome.kind === 'success' ? '✓ ' : outcome.kind === 'failure' ? '✕ ' : '… '}
        </span>
        {heading}
      </h1>
      <p class="big" role="status">
        {text}
      </p>
      {outcome.kind === 'success' ? (
        <p>
          <MunicipalityLine name={outcome.municipalityName} />
        </p>
      ) : null}
      {outcome.kind === 'interrupted' || outcome.kind === 'pending' ? (
        <button type="button" onClick={onRetry}>
          {t('result.retry')}
        </button>
      ) : (
        <button type="button" onClick={onNext}>
          {t('result.again')}
        </button>
      )}
    </section>
  );
}
