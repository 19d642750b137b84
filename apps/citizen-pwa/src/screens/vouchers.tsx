import { useRemembered } from '../data.ts';
import { type Language, language, useT } from '../i18n.ts';
import { formatDate, formatDateTime, formatDateWithYear, formatOre } from '../money.ts';
import type { Session } from '../store.ts';
import { LoadProblem } from './status.tsx';

/** One voucher as GET /me/vouchers describes it (fields beyond the basics are optional). */
export interface Voucher {
  programId: string;
  programName: string;
  kind: 'credit' | 'uses';
  remainingOre?: string | null;
  remainingUses?: number | null;
  maxPerUseOre: string;
  usesPerWindow?: number | null;
  windowDays?: number | null;
  usesLeftInWindow?: number | null;
  nextPossibleAt?: string | null;
  validUntil?: string | null;
  redeemable?: boolean;
  reason?: { code: string; message: string } | null;
}

type Translate = ReturnType<typeof useT>;

/** "2 besøg pr. 30 dage, højst 150,00 kr. pr. besøg. Næste besøg muligt 3. december." */
export function voucherRules(voucher: Voucher, t: Translate, lang: Language): string {
  const amount = formatOre(voucher.maxPerUseOre, lang);
  const parts: string[] = [];
  if (voucher.kind === 'uses' && voucher.usesPerWindow && voucher.windowDays) {
    parts.push(t('vouchers.rulesUses', { uses: voucher.usesPerWindow, days: voucher.windowDays, amount }));
  } else {
    parts.push(t('vouchers.rulesCredit', { amount }));
  }
  if (!voucher.redeemable && voucher.nextPossibleAt) {
    parts.push(t('vouchers.nextPossible', { date: formatDate(voucher.nextPossibleAt, lang) }));
  } else if (typeof voucher.usesLeftInWindow === 'number') {
    parts.push(t('vouchers.leftInWindow', { count: voucher.usesLeftInWindow }));
  }
  if (voucher.validUntil) {
    // validUntil is the first moment it no longer holds; people read "til og med" the day before.
    const lastDay = new Date(new Date(voucher.validUntil).getTime() - 1).toISOString();
    parts.push(t('vouchers.validUntil', { date: formatDateWithYear(lastDay, lang) }));
  }
  return parts.join(' ');
}

function balance(voucher: Voucher, t: Translate, lang: Language): string {
  if (voucher.kind === 'credit' && voucher.remainingOre != null) {
    return t('vouchers.remainingCredit', { amount: formatOre(voucher.remainingOre, lang) });
  }
  if (voucher.remainingUses != null) return t('vouchers.remainingUses', { count: voucher.remainingUses });
  return '';
}

export function VouchersScreen({ session }: { session: Session | undefined }) {
  const t = useT();
  const lang = language();
  const loaded = useRemembered<{ vouchers: Voucher[] }>('vouchers', '/me/vouchers', session);
  const vouchers = loaded.data?.vouchers ?? [];
  return (
    <section aria-labelledby="vouchers-heading">
      <h1 id="vouchers-heading" tabIndex={-1}>
        {t('vouchers.heading')}
      </h1>
      <LoadProblem error={loaded.error} onRetry={loaded.reload} />
      {loaded.fromCache && loaded.fetchedAt ? (
        <p class="hint">{t('vouchers.cached', { time: formatDateTime(loaded.fetchedAt, lang) })}</p>
      ) : null}
      {loaded.loading && !loaded.data ? <p>{t('common.loading')}</p> : null}
      {!loaded.loading && loaded.data && vouchers.length === 0 ? <p>{t('vouchers.empty')}</p> : null}
      <ul class="cards">
        {vouchers.map((voucher) => (
          <li key={voucher.programId} class="card" data-program-id={voucher.programId}>
            <h2>{voucher.programName}</h2>
            <p class="balance">{balance(voucher, t, lang)}</p>
            <p>{voucherRules(voucher, t, lang)}</p>
            {voucher.redeemable === false && voucher.reason && !voucher.nextPossibleAt ? (
              <p class="hint">{voucher.reason.message}</p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
