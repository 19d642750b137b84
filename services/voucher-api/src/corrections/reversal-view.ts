import type { RedemptionReversal } from '@voucher/db';

/** A reversal as the scanner and the municipality see it: øre as decimal strings, no account. */
export interface ReversalView {
  terminal: string;
  reversalId: string;
  originalTerminal: string;
  originalRedemptionId: string;
  kind: RedemptionReversal['kind'];
  reason: RedemptionReversal['reason'];
  amountOre: string;
  status: RedemptionReversal['status'];
  periodId: string | null;
  /** How much came off the provider's claim in that period (confirmed only). */
  fromClaimOre: string | null;
  /** The rest, which the provider now owes and is set off against its next payouts. */
  receivableOre: string | null;
  creditRestored: boolean | null;
  rejectionCode: string | null;
  txHash: string | null;
  createdAt: string;
  confirmedAt: string | null;
}

export function toReversalView(row: RedemptionReversal): ReversalView {
  return {
    terminal: row.terminal,
    reversalId: row.reversalId.toString(),
    originalTerminal: row.originalTerminal,
    originalRedemptionId: row.originalRedemptionId.toString(),
    kind: row.kind,
    reason: row.reason,
    amountOre: row.amountOre.toString(),
    status: row.status,
    periodId: row.periodId?.toString() ?? null,
    fromClaimOre: row.fromClaimOre?.toString() ?? null,
    receivableOre: row.fromClaimOre === null ? null : (row.amountOre - row.fromClaimOre).toString(),
    creditRestored: row.creditRestored,
    rejectionCode: row.rejectionCode,
    txHash: row.txHash,
    createdAt: row.createdAt.toISOString(),
    confirmedAt: row.confirmedAt?.toISOString() ?? null,
  };
}
