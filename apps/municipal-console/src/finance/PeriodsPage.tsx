import { useEffect, useState } from 'preact/hooks';
import { apiJson } from '../api/client.ts';
import type { ClosePeriodResponse, Period } from '../api/types.ts';
import { currentSession } from '../auth/session.ts';
import { useLanguage, useT } from '../i18n/index.ts';
import { formatOre } from '../money/kroner.ts';
import { ErrorAlert, PageHeading, StatusMessage, useMessage } from '../ui/components.tsx';
import { BankNotificationPanel } from './BankNotificationPanel.tsx';
import { CorrectionsPanel } from './CorrectionsPanel.tsx';
import { type CloseChallenge, closeText } from './officer-signing.ts';
import { ReconciliationPanel } from './ReconciliationPanel.tsx';
import { SettlementPanel } from './SettlementPanel.tsx';
import { SignedStepDialog, SignedStepProblem, useSignedStep, useSignedStepLabel } from './SignedStep.tsx';
import { PeriodStatements } from './StatementsPage.tsx';
import { usePolling, useResource } from './use-resource.ts';

/**
 * Month end for finance: the periods with their totals, closing the open one, and for a
 * chosen period its reconciliation, its statements per provider and its settlement.
 */
export function PeriodsPage() {
  const t = useT();
  const language = useLanguage();
  const periods = useResource(() => apiJson<Period[]>('GET', '/periods'), []);
  const [selected, setSelected] = useState<number>();
  // A close the chain has not confirmed yet (202): the list is polled until the period shows closed.
  const [awaitingClose, setAwaitingClose] = useState<number>();
  const closeStep = useSignedStep<CloseChallenge, ClosePeriodResponse>();
  const label = useSignedStepLabel();
  const [message, setMessage] = useMessage();
  // Bumped by each bank notification import, so the chosen period's settlement is read again.
  const [bankImports, setBankImports] = useState(0);
  const isFinance = currentSession()?.role === 'finance';
  const list = periods.value ? [...periods.value].sort((a, b) => b.periodId - a.periodId) : undefined;
  const chosen =
    list?.find((period) => period.periodId === selected) ?? list?.find((p) => p.status !== 'open');
  const stillOpen =
    list?.some((period) => period.periodId === awaitingClose && period.status === 'open') ?? false;
  usePolling(stillOpen, periods.reload);
  useEffect(() => {
    if (awaitingClose !== undefined && list && !stillOpen) {
      setMessage(() => t('periods.closed', { id: awaitingClose }));
      setAwaitingClose(undefined);
    }
  }, [awaitingClose, stillOpen, list]);

  // The officer's passkey signs the close: fetch what is signed, confirm it, relay it.
  function close(periodId: number) {
    setMessage(undefined);
    void closeStep.start({
      path: '/periods/close',
      fields: { periodId },
      onSigned: async (result) => {
        setMessage(() =>
          t(result.status === 'closed' ? 'periods.closed' : 'periods.closePending', { id: periodId }),
        );
        if (result.status === 'pending') setAwaitingClose(periodId);
        await periods.reload();
        setSelected(periodId);
      },
    });
  }

  return (
    <>
      <PageHeading>{t('periods.title')}</PageHeading>
      <p>{t('periods.intro')}</p>
      <ErrorAlert error={periods.error} />
      <SignedStepProblem error={closeStep.error} />
      <StatusMessage>{message}</StatusMessage>
      {list === undefined && !periods.error ? <p role="status">{t('app.loading')}</p> : null}
      {list && list.length === 0 ? <p>{t('periods.noPeriods')}</p> : null}
      {list && list.length > 0 ? (
        <table class="table card" data-testid="periods">
          <thead>
            <tr>
              <th scope="col">{t('periods.period')}</th>
              <th scope="col">{t('periods.status')}</th>
              <th scope="col" class="number">
                {t('periods.accrued')}
              </th>
              <th scope="col" class="number">
                {t('periods.redemptions')}
              </th>
              <th scope="col" class="number">
                {t('periods.providers')}
              </th>
              <th scope="col">
                <span class="visually-hidden">{t('citizen.action')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((period) => (
              <tr key={period.periodId} data-period-id={period.periodId}>
                <th scope="row">{t('periods.periodN', { id: period.periodId })}</th>
                <td>
                  <span class={`badge ${period.status === 'paid' ? 'badge--ok' : 'badge--wait'}`}>
                    {t(`periods.statuses.${period.status}`, { defaultValue: period.status })}
                  </span>
                  {period.bankStatus === 'paid_in_bank' ? (
                    <>
                      {' '}
                      <span class="badge badge--ok" data-testid="paid-in-bank">
                        {t('periods.paidInBank')}
                      </span>
                    </>
                  ) : null}
                </td>
                <td class="number">{formatOre(period.accruedOre, language)}</td>
                <td class="number">{period.redemptionCount}</td>
                <td class="number">{period.providerCount}</td>
                <td>
                  <div class="actions actions--tight">
                    {period.status === 'open' && isFinance ? (
                      <button
                        type="button"
                        class="button button--primary"
                        disabled={closeStep.busy !== undefined}
                        onClick={() => close(period.periodId)}
                      >
                        {label(closeStep.busy, t('periods.close', { id: period.periodId }))}
                      </button>
                    ) : null}
                    <button
                      type="button"
                      class="button"
                      aria-pressed={chosen?.periodId === period.periodId}
                      onClick={() => setSelected(period.periodId)}
                    >
                      {t('periods.open')}{' '}
                      <span class="visually-hidden">{t('periods.periodN', { id: period.periodId })}</span>
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {chosen ? (
        <PeriodDetail key={`${chosen.periodId}-${bankImports}`} period={chosen} onChanged={periods.reload} />
      ) : null}
      <BankNotificationPanel
        onImported={async () => {
          setBankImports((count) => count + 1);
          await periods.reload();
        }}
      />
      <SignedStepDialog
        step={closeStep}
        title={t('signing.close.title', { period: closeStep.challenge?.periodId ?? '' })}
        text={(challenge) => closeText(t, challenge)}
      />
    </>
  );
}

function PeriodDetail({ period, onChanged }: { period: Period; onChanged: () => Promise<void> }) {
  return (
    <div data-testid="period-detail" data-period-id={period.periodId}>
      <SettlementPanel period={period} onChanged={onChanged} />
      <ReconciliationPanel
        periodId={period.periodId}
        refreshKey={`${period.status}-${period.settlementStatus}`}
      />
      <PeriodStatements
        periodId={period.periodId}
        refreshKey={`${period.status}-${period.settlementStatus}`}
      />
      <CorrectionsPanel
        periodId={period.periodId}
        refreshKey={`${period.status}-${period.settlementStatus}`}
      />
    </div>
  );
}
