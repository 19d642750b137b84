import type { Settlement, SettlementPayout } from '@voucher/db';

export interface SettlementPayoutView {
  providerId: number;
  providerName: string;
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
  totalOre: string;
  paidOre: string;
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
      amountOre: payout.amountOre.toString(),
      redemptionCount: payout.redemptionCount,
      endToEndId: payout.endToEndId,
      status: payout.status,
      paidTxHash: payout.paidTxHash,
    })),
  };
}

/** Ties a bank transaction to its period and provider; ISO 20022 allows 35 characters. */
export function endToEndId(periodId: number, providerId: number): string {
  return `VOUCHER-P${periodId}-PRV${providerId}`;
}

/** The short name of a decoded custom error ("SettlementSelfApproval(...)" -> "SettlementSelfApproval"). */
export function chainErrorName(error: string | null): string {
  return error?.match(/^[A-Za-z0-9_]+/)?.[0] ?? 'unknown';
}
