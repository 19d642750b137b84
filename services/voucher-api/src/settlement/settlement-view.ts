import type { Settlement, SettlementPayout } from '@voucher/db';

export interface SettlementPayoutView {
  providerId: number;
  providerName: string;
  /** The provider's claim for the period, net of voids and refunds that landed in it. */
  claimOre: string;
  /** Kept of the claim to pay off what the provider owes from earlier refunds. */
  offsetOre: string;
  /** claim − offset: what is transferred (0: nothing, and no line in the bank file). */
  amountOre: string;
  redemptionCount: number;
  endToEndId: string;
  status: 'pending' | 'paid';
  paidTxHash: string | null;
}

export interface SettlementView {
  id: string;
  periodId: number;
  status: Settlement['status'];
  /** The period's net accrued total: every line's claim. */
  totalOre: string;
  /** Transferred to providers so far (paid lines' amounts). */
  paidOre: string;
  /** Set off against receivables so far (paid lines' offsets). */
  offsetOre: string;
  providerCount: number;
  paidProviderCount: number;
  proposedBy: string;
  proposedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  executedBy: string | null;
  paidAt: string | null;
  /** The decoded chain error of the last refused step, e.g. "SettlementSelfApproval". */
  chainError: string | null;
  payouts: SettlementPayoutView[];
}

export function toSettlementView(
  settlement: Settlement,
  payouts: (SettlementPayout & { providerName: string })[],
): SettlementView {
  const paid = payouts.filter((payout) => payout.status === 'paid');
  return {
    id: settlement.id.toString(),
    periodId: settlement.periodId,
    status: settlement.status,
    totalOre: settlement.totalOre.toString(),
    paidOre: paid.reduce((sum, payout) => sum + payout.amountOre, 0n).toString(),
    offsetOre: paid.reduce((sum, payout) => sum + payout.offsetOre, 0n).toString(),
    providerCount: settlement.providerCount,
    paidProviderCount: paid.length,
    proposedBy: settlement.proposedBy,
    proposedAt: settlement.proposedAt.toISOString(),
    approvedBy: settlement.approvedBy,
    approvedAt: settlement.approvedAt?.toISOString() ?? null,
    executedBy: settlement.executedBy,
    paidAt: settlement.paidAt?.toISOString() ?? null,
    chainError: settlement.chainError,
    payouts: payouts.map((payout) => ({
      providerId: payout.providerId,
      providerName: payout.providerName,
      claimOre: payout.claimOre.toString(),
      offsetOre: payout.offsetOre.toString(),
      amountOre: payout.amountOre.toString(),
      redemptionCount: payout.redemptionCount,
      endToEndId: payout.endToEndId,
      status: payout.status,
      paidTxHash: payout.paidTxHash,
    })),
  };
}

/**
 * Ties a bank transaction to its municipality, period and provider; ISO 20022 allows 35
 * characters (at most "VOUCHER-M999-P4294967295-PRV2147483647", 37, is never reached: ids
 * stay far below those bounds, and the longest realistic one is under 30).
 */
export function endToEndId(municipalityId: number, periodId: number, providerId: number): string {
  return `VOUCHER-M${municipalityId}-P${periodId}-PRV${providerId}`;
}

/** The short name of a decoded custom error ("SettlementSelfApproval(...)" -> "SettlementSelfApproval"). */
export function chainErrorName(error: string | null): string {
  return error?.match(/^[A-Za-z0-9_]+/)?.[0] ?? 'unknown';
}
