import { useState } from 'preact/hooks';
import { apiJson } from '../api/client.ts';
import type { Statement, StatementWithLines } from '../api/types.ts';
import { useLanguage, useT } from '../i18n/index.ts';
import { formatOre } from '../money/kroner.ts';
import { ErrorAlert, PageHeading } from '../ui/components.tsx';
import { useProviders } from './provider-names.ts';
import { useResource } from './use-resource.ts';

/** Statements per provider: every period's redeemed and paid amounts, and its redemptions. */
export function StatementsPage() {
  const t = useT();
  const providers = useProviders();
  const [providerId, setProviderId] = useState<number>();
  const chosen = providerId ?? providers.value?.[0]?.id;
  return (
    <>
      <PageHeading>{t('statements.title')}</PageHeading>
      <p>{t('statements.intro')}</p>
      <ErrorAlert error={providers.error} />
      {providers.value ? (
        <div class="field">
          <label for="statement-provider">{t('statements.chooseProvider')}</label>
          <select
            id="statement-provider"
            value={chosen === undefined ? '' : String(chosen)}
            onChange={(event) => setProviderId(Number((event.target as HTMLSelectElement).value))}
          >
            {providers.value.map((provider) => (
              <option key={provider.id} value={String(provider.id)}>
                {provider.name}
              </option>
            ))}
          </select>
        </div>
      ) : (
        !providers.error && <p role="status">{t('app.loading')}</p>
      )}
      {chosen !== undefined ? <ProviderStatements key={chosen} providerId={chosen} /> : null}
    </>
  );
}

function ProviderStatements({ providerId }: { providerId: number }) {
  const t = useT();
  const language = useLanguage();
  const statements = useResource(
    () => apiJson<Statement[]>('GET', `/providers/${providerId}/statements`),
    [providerId],
  );
  const [openPeriod, setOpenPeriod] = useState<number>();
  if (!statements.value) {
    return statements.error ? (
      <ErrorAlert error={statements.error} />
    ) : (
      <p role="status">{t('app.loading')}</p>
    );
  }
  if (statements.value.length === 0) return <p>{t('statements.noneForProvider')}</p>;
  return (
    <>
      <table class="table card" data-testid="provider-statements">
        <thead>
          <tr>
            <th scope="col">{t('periods.period')}</th>
            <th scope="col">{t('statements.status')}</th>
            <th scope="col" class="number">
              {t('statements.redemptions')}
            </th>
            <th scope="col" class="number">
              {t('statements.total')}
            </th>
            <th scope="col" class="number">
              {t('statements.paid')}
            </th>
            <th scope="col">
              <span class="visually-hidden">{t('citizen.action')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {statements.value.map((statement) => (
            <tr key={statement.periodId}>
              <th scope="row">{t('periods.periodN', { id: statement.periodId })}</th>
              <td>{t(`statements.statuses.${statement.status}`, { defaultValue: statement.status })}</td>
              <td class="number">{statement.redemptionCount}</td>
              <td class="number">{formatOre(statement.totalOre, language)}</td>
              <td class="number">{formatOre(statement.paidOre, language)}</td>
              <td>
                <button
                  type="button"
                  class="button"
                  aria-pressed={openPeriod === statement.periodId}
                  onClick={() => setOpenPeriod(statement.periodId)}
                >
                  {t('statements.showLines', { id: statement.periodId })}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {openPeriod !== undefined ? (
        <StatementLines key={openPeriod} providerId={providerId} periodId={openPeriod} />
      ) : null}
    </>
  );
}

function StatementLines({ providerId, periodId }: { providerId: number; periodId: number }) {
  const t = useT();
  const language = useLanguage();
  const statement = useResource(
    () => apiJson<StatementWithLines>('GET', `/providers/${providerId}/statements/${periodId}`),
    [providerId, periodId],
  );
  return (
    <section class="card" aria-labelledby="lines-title">
      <h2 id="lines-title">{t('statements.lines', { id: periodId })}</h2>
      <ErrorAlert error={statement.error} />
      {statement.value ? (
        statement.value.lines.length === 0 ? (
          <p>{t('statements.none')}</p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('statements.redemptionId')}</th>
                <th scope="col">{t('statements.program')}</th>
                <th scope="col" class="number">
                  {t('statements.amount')}
                </th>
                <th scope="col">{t('statements.transaction')}</th>
              </tr>
            </thead>
            <tbody>
              {statement.value.lines.map((line) => (
                <tr key={`${line.terminal}-${line.redemptionId}`}>
                  <th scope="row">{line.redemptionId}</th>
                  <td>{line.programName}</td>
                  <td class="number">{formatOre(line.amountOre, language)}</td>
                  <td>
                    <code title={line.txHash}>{`${line.txHash.slice(0, 10)}…`}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </section>
  );
}

/** All providers' statements for one period, shown on the settlement page. */
export function PeriodStatements({ periodId, refreshKey }: { periodId: number; refreshKey: string }) {
  const t = useT();
  const language = useLanguage();
  const statements = useResource(
    () => apiJson<Statement[]>('GET', `/periods/${periodId}/statements`),
    [periodId, refreshKey],
  );
  return (
    <section class="card" aria-labelledby="period-statements-title">
      <h2 id="period-statements-title">{t('statements.periodTitle', { id: periodId })}</h2>
      <ErrorAlert error={statements.error} />
      {statements.value === undefined && !statements.error ? <p role="status">{t('app.loading')}</p> : null}
      {statements.value && statements.value.length === 0 ? <p>{t('statements.none')}</p> : null}
      {statements.value && statements.value.length > 0 ? (
        <table class="table" data-testid="period-statements">
          <thead>
            <tr>
              <th scope="col">{t('statements.provider')}</th>
              <th scope="col">{t('statements.status')}</th>
              <th scope="col" class="number">
                {t('statements.redemptions')}
              </th>
              <th scope="col" class="number">
                {t('statements.total')}
              </th>
              <th scope="col" class="number">
                {t('statements.paid')}
              </th>
            </tr>
          </thead>
          <tbody>
            {statements.value.map((statement) => (
              <tr key={statement.providerId}>
                <th scope="row">{statement.providerName}</th>
                <td>{t(`statements.statuses.${statement.status}`, { defaultValue: statement.status })}</td>
                <td class="number">{statement.redemptionCount}</td>
                <td class="number">{formatOre(statement.totalOre, language)}</td>
                <td class="number">{formatOre(statement.paidOre, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
