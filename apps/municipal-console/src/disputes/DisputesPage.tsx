import { useState } from 'preact/hooks';
import { apiJson } from '../api/client.ts';
import type { DisputeOutcome, DisputeView } from '../api/types.ts';
import { currentSession } from '../auth/session.ts';
import { useResource } from '../finance/use-resource.ts';
import { useLanguage, useT } from '../i18n/index.ts';
import { formatOre } from '../money/kroner.ts';
import { Dialog, ErrorAlert, PageHeading, StatusMessage, useMessage } from '../ui/components.tsx';
import { formatDateTime } from '../ui/dates.ts';
import { errorCode } from '../ui/error-text.ts';
import { canDecide, queueOrder } from './dispute-queue.ts';

type Filter = 'open' | 'all';

/**
 * Citizens' disputes of redemptions ("Det har jeg ikke købt"): the provider can refund; a
 * caseworker decides the ones that stay open. Finance reads the queue.
 */
export function DisputesPage() {
  const t = useT();
  const language = useLanguage();
  const [filter, setFilter] = useState<Filter>('open');
  const disputes = useResource(
    () => apiJson<{ disputes: DisputeView[] }>('GET', `/disputes?status=${filter}`),
    [filter],
  );
  const [deciding, setDeciding] = useState<{ dispute: DisputeView; outcome: DisputeOutcome }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useMessage();
  const role = currentSession()?.role;
  const list = disputes.value ? queueOrder(disputes.value.disputes) : undefined;

  async function decide(dispute: DisputeView, outcome: DisputeOutcome) {
    setDeciding(undefined);
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    try {
      await apiJson('POST', `/disputes/${dispute.id}/decision`, { outcome });
      const amount = formatOre(dispute.amountOre, language);
      setMessage(() =>
        t(outcome === 'upheld' ? 'disputes.upheldDone' : 'disputes.rejectedDone', {
          amount,
          provider: dispute.providerName,
        }),
      );
      await disputes.reload();
    } catch (caught) {
      setError(caught);
      // Decided by someone else or refunded meanwhile: show how it stands now.
      if (errorCode(caught) === 'DISPUTE_NOT_OPEN') await disputes.reload();
    } finally {
      setBusy(false);
    }
  }

  const about = (dispute: DisputeView) =>
    t('disputes.about', { amount: formatOre(dispute.amountOre, language), provider: dispute.providerName });

  return (
    <>
      <PageHeading>{t('disputes.title')}</PageHeading>
      <p>{t(role === 'caseworker' ? 'disputes.intro' : 'disputes.introReadOnly')}</p>
      <div class="field">
        <label for="dispute-filter">{t('disputes.show')}</label>
        <select
          id="dispute-filter"
          value={filter}
          onChange={(event) => setFilter((event.target as HTMLSelectElement).value as Filter)}
        >
          <option value="open">{t('disputes.showOpen')}</option>
          <option value="all">{t('disputes.showAll')}</option>
        </select>
      </div>
      <ErrorAlert error={error ?? disputes.error} />
      <StatusMessage>{message}</StatusMessage>
      {list === undefined && !disputes.error ? <p role="status">{t('app.loading')}</p> : null}
      {list && list.length === 0 ? (
        <p>{t(filter === 'open' ? 'disputes.noneOpen' : 'disputes.none')}</p>
      ) : null}
      {list && list.length > 0 ? (
        <table class="table card" data-testid="disputes">
          <thead>
            <tr>
              <th scope="col">{t('disputes.received')}</th>
              <th scope="col">{t('disputes.provider')}</th>
              <th scope="col">{t('disputes.program')}</th>
              <th scope="col" class="number">
                {t('disputes.amount')}
              </th>
              <th scope="col">{t('disputes.redeemedAt')}</th>
              <th scope="col">{t('disputes.reason')}</th>
              <th scope="col">{t('disputes.status')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('citizen.action')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((dispute) => (
              <tr key={dispute.id} data-dispute-id={dispute.id} data-status={dispute.status}>
                <td>{formatDateTime(dispute.createdAt, language)}</td>
                <th scope="row">{dispute.providerName}</th>
                <td>{dispute.programName}</td>
                <td class="number">{formatOre(dispute.amountOre, language)}</td>
                <td>{formatDateTime(dispute.redeemedAt, language)}</td>
                <td>
                  {t(`disputes.reasons.${dispute.reason}`, { defaultValue: dispute.reason })}
                  <span class="muted">
                    {' '}
                    ({t(`disputes.raisedBy.${dispute.raisedBy}`, { defaultValue: dispute.raisedBy })})
                  </span>
                </td>
                <td>
                  <span class={`badge ${dispute.status === 'open' ? 'badge--wait' : 'badge--ok'}`}>
                    {t(`disputes.statuses.${dispute.status}`, { defaultValue: dispute.status })}
                  </span>
                  {BigInt(dispute.refundedOre) > 0n ? (
                    <div class="muted">
                      {t('disputes.refunded', { amount: formatOre(dispute.refundedOre, language) })}
                    </div>
                  ) : null}
                  {dispute.decidedAt ? (
                    <div class="muted">
                      {t('disputes.decidedAt', { date: formatDateTime(dispute.decidedAt, language) })}
                    </div>
                  ) : null}
                </td>
                <td>
                  {canDecide(role, dispute) ? (
                    <div class="actions actions--tight">
                      <button
                        type="button"
                        class="button button--primary"
                        disabled={busy}
                        onClick={() => setDeciding({ dispute, outcome: 'upheld' })}
                      >
                        {t('disputes.uphold')}
                        <span class="visually-hidden"> {about(dispute)}</span>
                      </button>
                      <button
                        type="button"
                        class="button"
                        disabled={busy}
                        onClick={() => setDeciding({ dispute, outcome: 'rejected' })}
                      >
                        {t('disputes.reject')}
                        <span class="visually-hidden"> {about(dispute)}</span>
                      </button>
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Dialog
        title={t(deciding?.outcome === 'rejected' ? 'disputes.rejectTitle' : 'disputes.upholdTitle')}
        open={deciding !== undefined}
        onClose={() => setDeciding(undefined)}
      >
        {deciding ? (
          <>
            <p>
              {t('disputes.confirmWhat', {
                amount: formatOre(deciding.dispute.amountOre, language),
                provider: deciding.dispute.providerName,
                program: deciding.dispute.programName,
                date: formatDateTime(deciding.dispute.redeemedAt, language),
                reason: t(`disputes.reasons.${deciding.dispute.reason}`, {
                  defaultValue: deciding.dispute.reason,
                }),
              })}
            </p>
            <p>{t(deciding.outcome === 'upheld' ? 'disputes.upholdText' : 'disputes.rejectText')}</p>
            <div class="actions">
              <button
                type="button"
                class="button button--primary"
                onClick={() => decide(deciding.dispute, deciding.outcome)}
              >
                {t(deciding.outcome === 'upheld' ? 'disputes.upholdConfirm' : 'disputes.rejectConfirm')}
              </button>
              <button type="button" class="button" onClick={() => setDeciding(undefined)}>
                {t('common.cancel')}
              </button>
            </div>
          </>
        ) : null}
      </Dialog>
    </>
  );
}
