import { apiJson } from '../api/client.ts';
import type { PeriodCorrections, ProviderReceivables } from '../api/types.ts';
import { currentSession } from '../auth/session.ts';
import { useLanguage, useT } from '../i18n/index.ts';
import { formatOre } from '../money/kroner.ts';
import { ErrorAlert } from '../ui/components.tsx';
import { formatDateTime } from '../ui/dates.ts';
import { correctionsByProvider, isFromEarlierPeriod, totalsAgree } from './corrections.ts';
import { useResource } from './use-resource.ts';

/** Who may read what providers owe (GET /providers/receivables); an auditor sees the period's lines. */
const RECEIVABLES_ROLES: readonly string[] = ['finance', 'admin'];

/**
 * A period's corrections: the voids and refunds that landed in it, what came off each
 * provider's claim and what became a receivable, and what providers owe the municipality now.
 */
export function CorrectionsPanel({ periodId, refreshKey }: { periodId: number; refreshKey: string }) {
  const t = useT();
  const language = useLanguage();
  const report = useResource(
    () => apiJson<PeriodCorrections>('GET', `/periods/${periodId}/corrections`),
    [periodId, refreshKey],
  );
  const value = report.value;
  return (
    <section class="card" aria-labelledby="corrections-title" data-testid="period-corrections">
      <h2 id="corrections-title">{t('corrections.title', { id: periodId })}</h2>
      <p class="muted">{t('corrections.intro')}</p>
      <ErrorAlert error={report.error} />
      {value === undefined && !report.error ? <p role="status">{t('app.loading')}</p> : null}
      {value ? (
        <>
          <dl class="details" data-testid="corrections-totals">
            <dt>{t('corrections.voided')}</dt>
            <dd>{formatOre(value.totals.voidedOre, language)}</dd>
            <dt>{t('corrections.refunded')}</dt>
            <dd>{formatOre(value.totals.refundedOre, language)}</dd>
            <dt>{t('corrections.receivable')}</dt>
            <dd>{formatOre(value.totals.receivableOre, language)}</dd>
          </dl>
          {!totalsAgree(value) ? (
            <p class="alert alert--error" role="alert">
              {t('corrections.totalsDisagree')}
            </p>
          ) : null}
          {value.reversals.length === 0 ? (
            <p>{t('corrections.none')}</p>
          ) : (
            <CorrectionTables report={value} />
          )}
        </>
      ) : null}
      {RECEIVABLES_ROLES.includes(currentSession()?.role ?? '') ? (
        <Receivables refreshKey={refreshKey} />
      ) : null}
    </section>
  );
}

function CorrectionTables({ report }: { report: PeriodCorrections }) {
  const t = useT();
  const language = useLanguage();
  return (
    <>
      <h3>{t('corrections.perProvider')}</h3>
      <table class="table" data-testid="corrections-by-provider">
        <thead>
          <tr>
            <th scope="col">{t('corrections.provider')}</th>
            <th scope="col" class="number">
              {t('corrections.count')}
            </th>
            <th scope="col" class="number">
              {t('corrections.voided')}
            </th>
            <th scope="col" class="number">
              {t('corrections.refunded')}
            </th>
            <th scope="col" class="number">
              {t('corrections.fromClaim')}
            </th>
            <th scope="col" class="number">
              {t('corrections.receivable')}
            </th>
          </tr>
        </thead>
        <tbody>
          {correctionsByProvider(report).map((row) => (
            <tr key={row.providerId}>
              <th scope="row">{row.providerName}</th>
              <td class="number">{row.count}</td>
              <td class="number">{formatOre(row.voidedOre, language)}</td>
              <td class="number">{formatOre(row.refundedOre, language)}</td>
              <td class="number">{formatOre(row.fromClaimOre, language)}</td>
              <td class="number">{formatOre(row.receivableOre, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('corrections.lines')}</h3>
      <div class="table-scroll">
        <table class="table" data-testid="corrections-lines">
          <thead>
            <tr>
              <th scope="col">{t('corrections.confirmedAt')}</th>
              <th scope="col">{t('corrections.provider')}</th>
              <th scope="col">{t('corrections.kindAndReason')}</th>
              <th scope="col" class="number">
                {t('corrections.amount')}
              </th>
              <th scope="col" class="number">
                {t('corrections.fromClaim')}
              </th>
              <th scope="col" class="number">
                {t('corrections.receivable')}
              </th>
              <th scope="col">{t('corrections.creditRestored')}</th>
              <th scope="col">{t('corrections.original')}</th>
            </tr>
          </thead>
          <tbody>
            {report.reversals.map((reversal) => (
              <tr
                key={`${reversal.originalTerminal ?? reversal.providerId}-${reversal.reversalId ?? reversal.originalRedemptionId}-${reversal.confirmedAt}`}
                data-kind={reversal.kind}
              >
                <td>{reversal.confirmedAt ? formatDateTime(reversal.confirmedAt, language) : ''}</td>
                <th scope="row">{reversal.providerName}</th>
                <td>
                  {t(`corrections.kinds.${reversal.kind}`, { defaultValue: reversal.kind })}
                  <div class="muted">
                    {t(`corrections.reasons.${reversal.reason}`, { defaultValue: reversal.reason })}
                  </div>
                </td>
                <td class="number">{formatOre(reversal.amountOre, language)}</td>
                <td class="number">{formatOre(reversal.fromClaimOre, language)}</td>
                <td class="number">{formatOre(reversal.receivableOre, language)}</td>
                <td>{t(reversal.creditRestored ? 'common.yes' : 'common.no')}</td>
                <td>
                  {t('corrections.originalRedemption', { id: reversal.originalRedemptionId })}
                  {isFromEarlierPeriod(reversal, report.periodId) ? (
                    <span class="muted">
                      {' '}
                      {t('corrections.fromPeriod', { id: reversal.originalPeriodId })}
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** What providers owe the municipality from refunds beyond their claims; set off at payout. */
function Receivables({ refreshKey }: { refreshKey: string }) {
  const t = useT();
  const language = useLanguage();
  const receivables = useResource(
    () => apiJson<ProviderReceivables>('GET', '/providers/receivables'),
    [refreshKey],
  );
  const owing = receivables.value?.receivables.filter((row) => BigInt(row.owedOre) > 0n);
  return (
    <div data-testid="provider-receivables">
      <h3 id="receivables-title">{t('corrections.receivablesTitle')}</h3>
      <p class="muted">{t('corrections.receivablesIntro')}</p>
      <ErrorAlert error={receivables.error} />
      {owing && owing.length === 0 ? <p>{t('corrections.noReceivables')}</p> : null}
      {owing && owing.length > 0 ? (
        <table class="table" data-testid="receivables">
          <thead>
            <tr>
              <th scope="col">{t('corrections.provider')}</th>
              <th scope="col" class="number">
                {t('corrections.owed')}
              </th>
            </tr>
          </thead>
          <tbody>
            {owing.map((row) => (
              <tr key={row.providerId}>
                <th scope="row">{row.providerName}</th>
                <td class="number">{formatOre(row.owedOre, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
