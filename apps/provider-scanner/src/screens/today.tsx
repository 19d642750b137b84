import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api.ts';
import { language, useT } from '../i18n.ts';
import { formatOre, formatTime, localDay } from '../money.ts';
import type { StaffSession } from '../store.ts';

interface RedemptionRow {
  redemptionId: string;
  terminal: string;
  programName: string;
  amountOre: string;
  status: string;
  createdAt: string;
}

/** GET with the staff token; null while loading, an ApiError when refused or offline. */
function useStaffData<T>(session: StaffSession, path: string): T | ApiError | null {
  const [result, setResult] = useState<T | ApiError | null>(null);
  useEffect(() => {
    let cancelled = false;
    api<T>(path, { token: session.token }).then(
      (data) => !cancelled && setResult(data),
      (error) => !cancelled && setResult(error instanceof ApiError ? error : new ApiError(0, 'OFFLINE', '')),
    );
    return () => {
      cancelled = true;
    };
  }, [session, path]);
  return result;
}

function Problem({ error }: { error: ApiError }) {
  const t = useT();
  return (
    <p class="notice">
      {error.status === 404 ? t('common.notAvailable') : error.message || t('common.offline')}
    </p>
  );
}

export function TodayScreen({ session }: { session: StaffSession }) {
  const t = useT();
  const lang = language();
  const data = useStaffData<RedemptionRow[]>(
    session,
    `/providers/${session.providerId}/redemptions?date=${localDay()}`,
  );
  const rows = data instanceof ApiError || data === null ? [] : data;
  // Refused attempts are listed (staff may be asked about them) but add nothing to the total.
  const total = rows
    .filter((row) => row.status === 'confirmed')
    .reduce((sum, row) => sum + BigInt(row.amountOre), 0n);
  return (
    <section aria-labelledby="today-heading">
      <h1 id="today-heading" tabIndex={-1}>
        {t('today.heading')}
      </h1>
      {data === null ? <p>{t('common.loading')}</p> : null}
      {data instanceof ApiError ? <Problem error={data} /> : null}
      {data !== null && !(data instanceof ApiError) && rows.length === 0 ? <p>{t('today.empty')}</p> : null}
      {rows.length > 0 ? <p class="big">{t('today.total', { amount: formatOre(total, lang) })}</p> : null}
      <ul class="list">
        {rows.map((row) => (
          <li key={`${row.terminal}:${row.redemptionId}`} data-status={row.status}>
            <strong>
              {formatOre(row.amountOre, lang)}
              {row.status === 'confirmed'
                ? ''
                : ` (${t(`today.status_${row.status === 'rejected' ? 'rejected' : 'pending'}`)})`}
            </strong>
            <span class="hint">
              {row.programName} · {formatTime(row.createdAt, lang)} · #{row.redemptionId}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

interface Statement {
  /** A provider serving several municipalities has one statement per municipality and period. */
  municipalityId?: number;
  municipalityName?: string;
  periodId: string | number;
  redemptionCount?: number;
  totalOre: string;
  status: string;
  startsAt?: string;
  endsAt?: string;
  paidAt?: string | null;
}

/** "open", "awaiting settlement" / "awaiting_settlement", "paid": one word each for the screen. */
function statusKey(status: string): 'open' | 'awaiting' | 'paid' {
  if (/paid/i.test(status)) return 'paid';
  if (/await|closed|settl/i.test(status)) return 'awaiting';
  return 'open';
}

export function StatementsScreen({ session }: { session: StaffSession }) {
  const t = useT();
  const lang = language();
  const data = useStaffData<Statement[] | { statements: Statement[] }>(
    session,
    `/providers/${session.providerId}/statements`,
  );
  const rows = data instanceof ApiError || data === null ? [] : Array.isArray(data) ? data : data.statements;
  return (
    <section aria-labelledby="statements-heading">
      <h1 id="statements-heading" tabIndex={-1}>
        {t('statements.heading')}
      </h1>
      {data === null ? <p>{t('common.loading')}</p> : null}
      {data instanceof ApiError ? <Problem error={data} /> : null}
      {data !== null && !(data instanceof ApiError) && rows.length === 0 ? (
        <p>{t('statements.empty')}</p>
      ) : null}
      <ul class="list">
        {rows.map((row) => {
          const key = statusKey(row.status);
          return (
            <li
              key={`${row.municipalityId ?? ''}:${row.periodId}`}
              data-period-id={String(row.periodId)}
              data-municipality-id={row.municipalityId}
              data-status={key}
            >
              <strong>
                {row.municipalityName
                  ? t('statements.municipalityPeriod', {
                      municipality: row.municipalityName,
                      id: row.periodId,
                    })
                  : t('statements.period', { id: row.periodId })}
                : {formatOre(row.totalOre, lang)}
              </strong>
              <span class="hint">
                {row.redemptionCount != null
                  ? `${t('statements.count', { count: row.redemptionCount })} · `
                  : ''}
                <span class={`status ${key}`}>{t(`statements.status_${key}`)}</span>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
