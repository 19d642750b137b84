import { useRemembered } from '../data.ts';
import { language, useT } from '../i18n.ts';
import { formatDateTime, formatOre } from '../money.ts';
import type { Session } from '../store.ts';
import { LoadProblem } from './status.tsx';

interface HistoryItem {
  redemptionId: string;
  programName: string;
  providerName: string;
  amountOre: string;
  status: string;
  createdAt: string;
}

export function HistoryScreen({ session }: { session: Session | undefined }) {
  const t = useT();
  const lang = language();
  const loaded = useRemembered<{ redemptions: HistoryItem[] }>('history', '/me/history', session);
  // Only what was actually charged; a refused attempt cost the citizen nothing.
  const items = (loaded.data?.redemptions ?? []).filter((item) => item.status !== 'rejected');
  return (
    <section aria-labelledby="history-heading">
      <h1 id="history-heading" tabIndex={-1}>
        {t('history.heading')}
      </h1>
      <LoadProblem error={loaded.error} onRetry={loaded.reload} />
      {loaded.loading && !loaded.data ? <p>{t('common.loading')}</p> : null}
      {!loaded.loading && loaded.data && items.length === 0 ? <p>{t('history.empty')}</p> : null}
      <ul class="list">
        {items.map((item) => (
          <li key={`${item.providerName}:${item.redemptionId}:${item.createdAt}`}>
            <strong>
              {t('history.item', { amount: formatOre(item.amountOre, lang), provider: item.providerName })}
            </strong>
            <span class="hint">
              {item.programName} · {formatDateTime(item.createdAt, lang)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
