import {
  type Executor,
  programs,
  providers,
  type ReversalKind,
  type ReversalReason,
  redemptionReversals,
  redemptions,
} from '@voucher/db';
import { and, asc, eq } from 'drizzle-orm';
import type { PeriodRef } from './chain-ledger.ts';

/**
 * A confirmed void or refund as the database recorded it when the chain confirmed it
 * (`redemption_reversals`): the period it landed in, how much came off the provider's claim
 * there, and the rest, which became the provider's receivable. Ids and amounts only.
 */
export interface ReversalEntry {
  terminal: string;
  reversalId: bigint;
  originalTerminal: string;
  originalRedemptionId: bigint;
  /** The period the original redemption was in; a refund may land in a later one. */
  originalPeriodId: number | null;
  providerId: number;
  providerName: string;
  programId: bigint;
  programName: string;
  kind: ReversalKind;
  reason: ReversalReason;
  amountOre: bigint;
  fromClaimOre: bigint;
  /** amount − fromClaim: what the provider owes from this reversal. */
  receivableOre: bigint;
  creditRestored: boolean;
  periodId: number;
  txHash: string | null;
  confirmedAt: Date | null;
}

/** The confirmed reversals that landed in one period of one municipality, oldest first. */
export async function reversalEntriesInPeriod(
  db: Executor,
  ref: PeriodRef,
  providerId?: number,
): Promise<ReversalEntry[]> {
  const rows = await db
    .select({
      reversal: redemptionReversals,
      originalPeriodId: redemptions.periodId,
      providerName: providers.name,
      programName: programs.name,
    })
    .from(redemptionReversals)
    .innerJoin(
      redemptions,
      and(
        eq(redemptions.terminal, redemptionReversals.originalTerminal),
        eq(redemptions.redemptionId, redemptionReversals.originalRedemptionId),
      ),
    )
    .innerJoin(providers, eq(providers.id, redemptionReversals.providerId))
    .innerJoin(programs, eq(programs.id, redemptionReversals.programId))
    .where(
      and(
        eq(redemptionReversals.status, 'confirmed'),
        eq(redemptionReversals.municipalityId, ref.municipalityId),
        eq(redemptionReversals.periodId, BigInt(ref.periodId)),
        providerId === undefined ? undefined : eq(redemptionReversals.providerId, providerId),
      ),
    )
    .orderBy(asc(redemptionReversals.confirmedAt), asc(redemptionReversals.createdAt));
  return rows.map(({ reversal, originalPeriodId, providerName, programName }) => {
    const fromClaimOre = reversal.fromClaimOre ?? 0n;
    return {
      terminal: reversal.terminal,
      reversalId: reversal.reversalId,
      originalTerminal: reversal.originalTerminal,
      originalRedemptionId: reversal.originalRedemptionId,
      originalPeriodId: originalPeriodId === null ? null : Number(originalPeriodId),
      providerId: reversal.providerId,
      providerName,
      programId: reversal.programId,
      programName,
      kind: reversal.kind,
      reason: reversal.reason,
      amountOre: reversal.amountOre,
      fromClaimOre,
      receivableOre: reversal.amountOre - fromClaimOre,
      creditRestored: reversal.creditRestored ?? false,
      periodId: ref.periodId,
      txHash: reversal.txHash,
      confirmedAt: reversal.confirmedAt,
    };
  });
}

/** Per provider: voided and refunded in the period, and what of it became a receivable. */
export interface ReversalTotals {
  voidedOre: bigint;
  refundedOre: bigint;
  receivableOre: bigint;
}

export function totalsByProvider(entries: ReversalEntry[]): Map<number, ReversalTotals> {
  const totals = new Map<number, ReversalTotals>();
  for (const entry of entries) {
    const total = totals.get(entry.providerId) ?? { voidedOre: 0n, refundedOre: 0n, receivableOre: 0n };
    if (entry.kind === 'void') total.voidedOre += entry.amountOre;
    else total.refundedOre += entry.amountOre;
    total.receivableOre += entry.receivableOre;
    totals.set(entry.providerId, total);
  }
  return totals;
}
