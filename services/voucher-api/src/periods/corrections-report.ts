import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { readOpenPeriod, requireChain } from './chain-access.ts';
import { reversalEntriesInPeriod } from './reversal-entries.ts';

export interface CorrectionLine {
  providerId: number;
  providerName: string;
  kind: 'void' | 'refund';
  reason: string;
  amountOre: string;
  /** Taken off the provider's claim in this period. */
  fromClaimOre: string;
  /** The rest: owed by the provider, set off against its next payouts. */
  receivableOre: string;
  creditRestored: boolean;
  originalTerminal: string;
  originalRedemptionId: string;
  originalPeriodId: number | null;
  reversalId: string;
  confirmedAt: string | null;
}

export interface CorrectionsReport {
  periodId: number;
  reversals: CorrectionLine[];
  totals: { voidedOre: string; refundedOre: string; receivableOre: string };
}

/** Finance's list of the voids and refunds that landed in one of its periods, with totals. */
export async function periodCorrections(
  deps: DomainDeps,
  params: { actor: AccessClaims; periodId: number },
): Promise<CorrectionsReport> {
  const { municipalityId } = params.actor;
  const open = await readOpenPeriod(requireChain(deps), municipalityId);
  if (params.periodId > open.periodId) throw new AppError('NOT_FOUND');
  const entries = await reversalEntriesInPeriod(deps.db, { municipalityId, periodId: params.periodId });
  let voided = 0n;
  let refunded = 0n;
  let receivable = 0n;
  for (const entry of entries) {
    if (entry.kind === 'void') voided += entry.amountOre;
    else refunded += entry.amountOre;
    receivable += entry.receivableOre;
  }
  return {
    periodId: params.periodId,
    reversals: entries.map((entry) => ({
      providerId: entry.providerId,
      providerName: entry.providerName,
      kind: entry.kind,
      reason: entry.reason,
      amountOre: entry.amountOre.toString(),
      fromClaimOre: entry.fromClaimOre.toString(),
      receivableOre: entry.receivableOre.toString(),
      creditRestored: entry.creditRestored,
      originalTerminal: entry.originalTerminal,
      originalRedemptionId: entry.originalRedemptionId.toString(),
      originalPeriodId: entry.originalPeriodId,
      reversalId: entry.reversalId.toString(),
      confirmedAt: entry.confirmedAt?.toISOString() ?? null,
    })),
    totals: {
      voidedOre: voided.toString(),
      refundedOre: refunded.toString(),
      receivableOre: receivable.toString(),
    },
  };
}
