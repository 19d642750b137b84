import type { Chart, ChartConfiguration } from 'chart.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { apiJson } from '../api/client.ts';
import type { PublicSpending, SpendingTotals } from '../api/types.ts';
import { currentSession } from '../auth/session.ts';
import { useResource } from '../finance/use-resource.ts';
import { type Language, useLanguage, useT } from '../i18n/index.ts';
import { formatOre, oreToChartKroner } from '../money/kroner.ts';
import { useOwnMunicipality } from '../municipality/use-own-municipality.ts';
import { ErrorAlert, PageHeading } from '../ui/components.tsx';
import { drawChart, PALETTE } from './charts.ts';

interface Group {
  label: string;
  redemptions: number;
  amountOre: string;
}

/**
 * The public dashboard: spending per program, category and period, aggregated from the
 * chain's redemption events by the API. No login, no personal data. Every chart has its
 * figures in a table beneath it, for screen readers and for anyone who wants exact kroner.
 */
export function TransparencyPage() {
  const t = useT();
  const language = useLanguage();
  // Each municipality has its own periods and programs, so each has its own dashboard.
  const municipalities = useResource(
    () => apiJson<{ id: number; name: string }[]>('GET', '/public/municipalities'),
    [],
  );
  const [chosenId, setChosenId] = useState<number>();
  // A signed-in officer sees their own municipality first; a visitor the first on the list.
  const own = useOwnMunicipality(currentSession());
  const chosen = chosenId ?? own?.id ?? municipalities.value?.[0]?.id;
  const spending = useResource(
    () =>
      chosen === undefined
        ? Promise.resolve(undefined)
        : apiJson<PublicSpending>('GET', `/public/spending?municipality=${chosen}`),
    [chosen],
  );
  const chain = useResource(
    () => apiJson<{ chainId: number; hub: string; ekrone: string }>('GET', '/public/chain'),
    [],
  );
  const value = spending.value;

  const programNames = new Map(value?.rows.map((row) => [row.programId, row.programName]) ?? []);
  const groups = (totals: SpendingTotals[], label: (key: string) => string): Group[] =>
    totals.map((total) => ({
      label: label(total.key),
      redemptions: total.redemptions,
      amountOre: total.amountOre,
    }));
  const count = value?.byPeriod.reduce((sum, total) => sum + total.redemptions, 0) ?? 0;

  return (
    <>
      <PageHeading>{t('transparency.title')}</PageHeading>
      <p>{t('transparency.intro')}</p>
      <ErrorAlert error={municipalities.error ?? spending.error} />
      {municipalities.value ? (
        <div class="field">
          <label for="transparency-municipality">{t('transparency.municipality')}</label>
          <select
            id="transparency-municipality"
            value={chosen === undefined ? '' : String(chosen)}
            onChange={(event) => setChosenId(Number((event.target as HTMLSelectElement).value))}
          >
            {municipalities.value.map((municipality) => (
              <option key={municipality.id} value={String(municipality.id)}>
                {municipality.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {value === undefined && !spending.error ? <p role="status">{t('app.loading')}</p> : null}
      {value ? (
        <>
          <p class="alert alert--info" data-testid="spending-total">
            {t('transparency.total', { total: formatOre(value.totalOre, language), count })}
          </p>
          {count === 0 ? <p>{t('transparency.empty')}</p> : null}
          {chain.value ? (
            <p class="muted" data-testid="chain-reference">
              {t('transparency.verify', { chainId: chain.value.chainId })} <code>{chain.value.hub}</code>
            </p>
          ) : null}
          <div class="chart-grid">
            <SpendingChart
              id="by-program"
              title={t('transparency.byProgram')}
              kind="bar"
              groups={groups(value.byProgram, (key) => programNames.get(key) ?? key)}
            />
            <SpendingChart
              id="by-category"
              title={t('transparency.byCategory')}
              kind="doughnut"
              groups={groups(value.byCategory, (key) =>
                t(`transparency.categories.${key}`, { defaultValue: key }),
              )}
            />
            <SpendingChart
              id="by-period"
              title={t('transparency.byPeriod')}
              kind="bar"
              groups={groups(
                [...value.byPeriod].sort((a, b) => Number(a.key) - Number(b.key)),
                (key) => t('periods.periodN', { id: key }),
              )}
            />
          </div>
        </>
      ) : null}
    </>
  );
}

interface ChartProps {
  id: string;
  title: string;
  kind: 'bar' | 'doughnut';
  groups: Group[];
}

function SpendingChart({ id, title, kind, groups }: ChartProps) {
  const t = useT();
  const language = useLanguage();
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current || groups.length === 0) return;
    const chart: Chart = drawChart(
      canvas.current,
      chartConfig(kind, groups, language, t('transparency.kroner')),
    );
    return () => chart.destroy();
  }, [kind, JSON.stringify(groups), language]);
  return (
    <section class="card" aria-labelledby={`${id}-title`} data-testid={`chart-${id}`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {groups.length > 0 ? (
        <div class="chart-box">
          <canvas ref={canvas} role="img" aria-label={t('transparency.chartLabel', { title })} />
        </div>
      ) : null}
      <table class="table">
        <caption class="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('transparency.key')}</th>
            <th scope="col" class="number">
              {t('transparency.redemptions')}
            </th>
            <th scope="col" class="number">
              {t('transparency.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <tr key={group.label}>
              <th scope="row">{group.label}</th>
              <td class="number">{group.redemptions}</td>
              <td class="number">{formatOre(group.amountOre, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function chartConfig(
  kind: 'bar' | 'doughnut',
  groups: Group[],
  language: Language,
  unit: string,
): ChartConfiguration {
  const tooltip = {
    callbacks: {
      label: (item: { dataIndex: number }) => formatOre(groups[item.dataIndex]?.amountOre ?? '0', language),
    },
  };
  const data = {
    labels: groups.map((group) => group.label),
    datasets: [
      {
        label: unit,
        data: groups.map((group) => oreToChartKroner(group.amountOre)),
        backgroundColor: groups.map((_, index) => PALETTE[index % PALETTE.length] ?? '#0072B2'),
      },
    ],
  };
  // Axis numbers grouped the reader's way ("1.500" in Danish).
  const locale = language === 'da' ? 'da-DK' : 'en-GB';
  if (kind === 'doughnut') {
    return {
      type: 'doughnut',
      data,
      options: { locale, plugins: { tooltip, legend: { position: 'bottom' } } },
    };
  }
  return {
    type: 'bar',
    data,
    options: {
      locale,
      plugins: { tooltip, legend: { display: false } },
      scales: { y: { beginAtZero: true, title: { display: true, text: unit } } },
    },
  };
}
