import { type Executor, settlementPayouts, settlements } from '@voucher/db';
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { DomainDeps } from '../deps.ts';
import { bankProgress, type SettlementBankStatus } from '../settlement/settlement-view.ts';
import { readOpenPeriod, readPeriodTotals, requireChain } from './chain-access.ts';
import { claimsByProvider, closedPeriods } from './chain-ledger.ts';

export type PeriodStatus = 'open' | 'closed' | 'settling' | 'paid';

export interface PeriodView {
  periodId: number;
  status: PeriodStatus;
  accruedOre: string;
  paidOre: string;
  redemptionCount: number;
  providerCount: number;
  settlementId: string | null;
  settlementStatus: string | null;
  /** The settlement's standing at the bank ("paid_in_bank" once every payout is bank-confirmed). */
  bankStatus: SettlementBankStatus | null;
  closedTxHash: string | null;
}

/**
 * Every period of one municipality from the chain (the open one first), newest first, with
 * its settlement. Each municipality numbers and closes its own periods.
 */
export async function listPeriods(deps: DomainDeps, municipalityId: number): Promise<PeriodView[]> {
  const chain = requireChain(deps);
  const open = await readOpenPeriod(chain, municipalityId);
  const closed = new Map(
    (await closedPeriods(deps.db, municipalityId)).map((period) => [period.periodId, period]),
  );
  const live = await liveSettlements(deps.db, municipalityId);
  const views: PeriodView[] = [];
  for (let periodId = open.periodId; periodId >= 1; periodId--) {
    const claims = await claimsByProvider(deps.db, { municipalityId, periodId });
    const totals =
      periodId === open.periodId
        ? { accruedOre: open.accruedOre, paidOre: 0n }
        : await readPeriodTotals(chain, municipalityId, periodId);
    const settlement = live.get(periodId);
    const isClosed = closed.has(periodId) || periodId < open.periodId;
    views.push({
      periodId,
      status: periodStatus(isClosed, totals, settlement?.status),
      accruedOre: totals.accruedOre.toString(),
      paidOre: totals.paidOre.toString(),
      redemptionCount: claims.reduce((sum, c) => sum + c.redemptionCount, 0),
      // Providers with a claim: one whose redemptions were all given back is owed nothing.
      providerCount: claims.filter((c) => c.netOre > 0n).length,
      settlementId: settlement?.id.toString() ?? null,
      settlementStatus: settlement?.status ?? null,
      bankStatus: settlement?.bankStatus ?? null,
      closedTxHash: closed.get(periodId)?.txHash ?? null,
    });
  }
  return views;
}

function periodStatus(
  closed: boolean,
  totals: { accruedOre: bigint; paidOre: bigint },
  settlementStatus: string | undefined,
): PeriodStatus {
  if (!closed) return 'open';
  if (settlementStatus === 'paid' || (totals.accruedOre > 0n && totals.paidOre === totals.accruedOre))
    return 'paid';
  return settlementStatus ? 'settling' : 'closed';
}

async function liveSettlements(db: Executor, municipalityId: number) {
  const rows = await db
    .select({ id: settlements.id, periodId: settlements.periodId, status: settlements.status })
    .from(settlements)
    .where(and(eq(settlements.municipalityId, municipalityId), ne(settlements.status, 'rejected')));
  const lines =
    rows.length === 0
      ? []
      : await db
          .select({
            settlementId: settlementPayouts.settlementId,
            amountOre: settlementPayouts.amountOre,
            bankConfirmedAt: settlementPayouts.bankConfirmedAt,
          })
          .from(settlementPayouts)
          .where(
            inArray(
              settlementPayouts.settlementId,
              rows.map((row) => row.id),
            ),
          );
  return new Map(
    rows.map((row) => {
      const own = lines.filter((line) => line.settlementId === row.id);
      return [row.periodId, { ...row, bankStatus: bankProgress(row.status, own).bankStatus }];
    }),
  );
}
