import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.ts';
import { useRemembered } from '../data.ts';
import {
  type CitizenDispute,
  canDispute,
  DISPUTE_REASONS,
  type DisputeReason,
  disputeOf,
  type HistoryItem,
  shownReversals,
} from '../history-lines.ts';
import { type Language, language, useT } from '../i18n.ts';
import { formatDateTime, formatOre } from '../money.ts';
import { usableSession } from '../session.ts';
import type { Session } from '../store.ts';
import { LoadProblem } from './status.tsx';

type Translate = ReturnType<typeof useT>;

function keyOf(item: HistoryItem): string {
  return `${item.terminal ?? item.providerName}:${item.redemptionId}:${item.createdAt}`;
}

export function HistoryScreen({ session }: { session: Session | undefined }) {
  const t = useT();
  const lang = language();
  const loaded = useRemembered<{ redemptions: HistoryItem[] }>('history', '/me/history', session);
  const disputes = useRemembered<{ disputes: CitizenDispute[] }>('disputes', '/me/disputes', session);
  // Disputes raised here since the list was fetched, shown at once.
  const [raised, setRaised] = useState<CitizenDispute[]>([]);
  const [disputing, setDisputing] = useState<string | undefined>();
  const [sent, setSent] = useState<string | undefined>();
  // Only what was actually charged; a refused attempt cost the citizen nothing.
  const items = (loaded.data?.redemptions ?? []).filter((item) => item.status !== 'rejected');
  const known = [...raised, ...(disputes.data?.disputes ?? [])];

  function onRaised(item: HistoryItem, dispute: CitizenDispute) {
    setRaised((previous) => [{ ...dispute, terminal: dispute.terminal ?? item.terminal }, ...previous]);
    setDisputing(undefined);
    setSent(keyOf(item));
    disputes.reload();
  }

  return (
    <section aria-labelledby="history-heading">
      <h1 id="history-heading" tabIndex={-1}>
        {t('history.heading')}
      </h1>
      <LoadProblem error={loaded.error} onRetry={loaded.reload} />
      {loaded.loading && !loaded.data ? <p>{t('common.loading')}</p> : null}
      {!loaded.loading && loaded.data && items.length === 0 ? <p>{t('history.empty')}</p> : null}
      <ul class="list">
        {items.map((item) => {
          const key = keyOf(item);
          const dispute = disputeOf(item, known);
          return (
            <li key={key} data-redemption-id={item.redemptionId} data-dispute-status={dispute?.status}>
              <strong>
                {t('history.item', { amount: formatOre(item.amountOre, lang), provider: item.providerName })}
              </strong>
              <span class="hint">
                {item.programName} · {formatDateTime(item.createdAt, lang)}
              </span>
              {shownReversals(item).map((reversal) => (
                <span
                  key={`${reversal.kind}:${reversal.createdAt}`}
                  class="reversal"
                  data-kind={reversal.kind}
                >
                  {reversalText(reversal, t, lang)}
                </span>
              ))}
              {dispute ? (
                <span class="dispute" data-status={dispute.status}>
                  {t(`dispute.status_${dispute.status}`, { defaultValue: dispute.status })}
                </span>
              ) : null}
              {sent === key ? (
                <p class="notice" role="status">
                  {t('dispute.sent')}
                </p>
              ) : null}
              {disputing === key ? (
                <DisputeForm
                  item={item}
                  session={session}
                  onRaised={(raisedDispute) => onRaised(item, raisedDispute)}
                  onCancel={() => setDisputing(undefined)}
                />
              ) : canDispute(item, dispute) ? (
                <button
                  type="button"
                  class="secondary"
                  onClick={() => {
                    setSent(undefined);
                    setDisputing(key);
                  }}
                >
                  {t('history.dispute')}
                  <span class="visually-hidden">
                    {' '}
                    {t('history.disputeName', {
                      amount: formatOre(item.amountOre, lang),
                      provider: item.providerName,
                      time: formatDateTime(item.createdAt, lang),
                    })}
                  </span>
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** "Annulleret -150,00 kr. · Beløbet er sat ind på dit tilskud igen." */
function reversalText(
  reversal: ReturnType<typeof shownReversals>[number],
  t: Translate,
  lang: Language,
): string {
  const amount = formatOre(-BigInt(reversal.amountOre), lang);
  const what = t(reversal.kind === 'void' ? 'history.voided' : 'history.refunded', { amount });
  if (reversal.status !== 'confirmed') return `${what} ${t('history.reversalPending')}`;
  return `${what} · ${t(reversal.creditRestored === false ? 'history.creditNotBack' : 'history.creditBack')}`;
}

/** "Det har jeg ikke købt": what is wrong, sent to the municipality and the provider. */
function DisputeForm({
  item,
  session,
  onRaised,
  onCancel,
}: {
  item: HistoryItem;
  session: Session | undefined;
  onRaised: (dispute: CitizenDispute) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [reason, setReason] = useState<DisputeReason>('not_mine');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | undefined>();

  async function submit(event: Event) {
    event.preventDefault();
    setSending(true);
    setError(undefined);
    try {
      const current = await usableSession(session);
      if (!current) throw new ApiError(401, 'SESSION_ENDED', t('common.sessionEnded'));
      const answer = await api<{ dispute: CitizenDispute }>(
        `/me/redemptions/${item.terminal}/${item.redemptionId}/dispute`,
        { method: 'POST', token: current.token, body: { reason } },
      );
      onRaised(answer.dispute);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('common.offline'));
    } finally {
      setSending(false);
    }
  }

  return (
    <form class="dispute-form" onSubmit={submit} noValidate>
      <fieldset class="reasons">
        <legend>{t('dispute.legend')}</legend>
        {DISPUTE_REASONS.map((option) => (
          <label key={option} class="reason">
            <input
              type="radio"
              name={`reason-${item.redemptionId}`}
              value={option}
              checked={reason === option}
              disabled={sending}
              onChange={() => setReason(option)}
            />
            {t(`dispute.reason_${option}`)}
          </label>
        ))}
      </fieldset>
      <p class="hint">{t('dispute.intro', { provider: item.providerName })}</p>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={sending}>
        {sending ? t('dispute.sending') : t('dispute.submit')}
      </button>
      <button type="button" class="secondary" disabled={sending} onClick={onCancel}>
        {t('dispute.cancel')}
      </button>
    </form>
  );
}
