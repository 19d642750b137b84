import { apiJson } from '../api/client.ts';
import type { ReconciliationReport } from '../api/types.ts';
import { useLanguage, useT } from '../i18n/index.ts';
import { formatOre } from '../money/kroner.ts';
import { ErrorAlert } from '../ui/components.tsx';
import { providerName, useProviders } from './provider-names.ts';
import { useResource } from './use-resource.ts';

/**
 * The period's reconciliation: what the chain says was redeemed and accrued against what the
 * database recorded, in total and per provider, and every difference found. A settlement
 * can only be proposed when this is clean.
 */
export function ReconciliationPanel({ periodId, refreshKey }: { periodId: number; refreshKey: string }) {
  const t = useT();
  const language = useLanguage();
  const providers = useProviders();
  const report = useResource(
    () => apiJson<ReconciliationReport>('GET', `/periods/${periodId}/reconciliation`),
    [periodId, refreshKey],
  );
  const value = report.value;
  return (
    <section class="card" aria-labelledby="reconciliation-title" data-testid="reconciliation">
      <h2 id="reconciliation-title">{t('reconciliation.title', { id: periodId })}</h2>
      <ErrorAlert error={report.error} />
      {value === undefined && !report.error ? <p role="status">{t('app.loading')}</p> : null}
      {value ? (
        <>
          {!value.closed ? <p class="alert alert--info">{t('reconciliation.notClosed')}</p> : null}
          <p
            class={`alert ${value.clean ? 'alert--success' : 'alert--error'}`}
            data-clean={value.clean ? 'true' : 'false'}
          >
            {value.clean ? t('reconciliation.clean') : t('reconciliation.notClean')}
          </p>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('reconciliation.source')}</th>
                <th scope="col" class="number">
                  {t('periods.redemptions')}
                </th>
                <th scope="col" class="number">
                  {t('reconciliation.total')}
                </th>
                <th scope="col" class="number">
                  {t('reconciliation.paid')}
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">{t('reconciliation.chain')}</th>
                <td class="number">{value.chain.redemptions}</td>
                <td class="number">{formatOre(value.chain.totalOre, language)}</td>
                <td class="number">{formatOre(value.chain.paidOre, language)}</td>
              </tr>
              <tr>
                <th scope="row">{t('reconciliation.database')}</th>
                <td class="number">{value.database.redemptions}</td>
                <td class="number">{formatOre(value.database.totalOre, language)}</td>
                <td class="number">–</td>
              </tr>
            </tbody>
          </table>
          {value.providers.length > 0 ? (
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('reconciliation.provider')}</th>
                  <th scope="col" class="number">
                    {t('reconciliation.chain')}
                  </th>
                  <th scope="col" class="number">
                    {t('reconciliation.database')}
                  </th>
                  <th scope="col" class="number">
                    {t('reconciliation.paid')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {value.providers.map((row) => (
                  <tr key={row.providerId}>
                    <th scope="row">{providerName(providers.value, row.providerId)}</th>
                    <td class="number">
                      {formatOre(row.chainOre, language)} ({row.chainRedemptions})
                    </td>
                    <td class="number">
                      {formatOre(row.databaseOre, language)} ({row.databaseRedemptions})
                    </td>
                    <td class="number">{formatOre(row.paidOre, language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {value.differences.length > 0 ? (
            <>
              <h3>{t('reconciliation.differences')}</h3>
              <ul data-testid="differences">
                {value.differences.map((difference, index) => (
                  <li key={`${difference.kind}-${index}`}>
                    {t('reconciliation.difference', {
                      kind: difference.kind,
                      provider:
                        difference.providerId === undefined
                          ? '–'
                          : providerName(providers.value, difference.providerId),
                      database: difference.database ?? '–',
                      chain: difference.chain ?? '–',
                    })}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
