// What the citizen's history says about each purchase: what was voided or refunded of it,
// whether the voucher got the money back, and whether it can be disputed. Pure functions,
// tested in history-lines.test.ts.

export interface HistoryReversal {
  kind: 'void' | 'refund';
  amountOre: string;
  status: string;
  /** Whether the voucher got the amount back (null until the chain confirmed it). */
  creditRestored: boolean | null;
  createdAt: string;
}

/** One line of GET /me/history. */
export interface HistoryItem {
  redemptionId: string;
  /** Needed to dispute the line; an API that leaves it out offers no dispute. */
  terminal?: string;
  providerId?: number;
  programName: string;
  providerName: string;
  amountOre: string;
  status: string;
  createdAt: string;
  reversedOre?: string;
  reversals?: HistoryReversal[];
}

export type DisputeReason = 'not_mine' | 'wrong_amount' | 'not_delivered' | 'other';
export const DISPUTE_REASONS: readonly DisputeReason[] = [
  'not_mine',
  'wrong_amount',
  'not_delivered',
  'other',
];

/** One of the citizen's disputes (GET /me/disputes, or the answer to raising one). */
export interface CitizenDispute {
  id: string;
  terminal?: string;
  redemptionId: string;
  providerId?: number;
  /** When the disputed purchase was made: the history line's createdAt. */
  redeemedAt?: string;
  reason: string;
  status: 'open' | 'refunded' | 'upheld' | 'rejected' | string;
  createdAt: string;
}

/** The voids and refunds to show: a refused one gave nothing back and is left out. */
export function shownReversals(item: HistoryItem): HistoryReversal[] {
  return (item.reversals ?? []).filter((reversal) => reversal.status !== 'rejected');
}

/** What the purchase cost in the end, after what was given back (confirmed only). */
export function netOre(item: HistoryItem): bigint {
  return BigInt(item.amountOre) - BigInt(item.reversedOre ?? '0');
}

/**
 * The latest dispute of this purchase. Redemption ids count per terminal, so the id alone is
 * not enough: the terminal where both name it, else the provider and the moment of purchase.
 */
export function disputeOf(
  item: HistoryItem,
  disputes: readonly CitizenDispute[],
): CitizenDispute | undefined {
  const matching = disputes.filter((dispute) => {
    if (dispute.redemptionId !== item.redemptionId) return false;
    if (dispute.terminal && item.terminal)
      return dispute.terminal.toLowerCase() === item.terminal.toLowerCase();
    if (dispute.providerId !== undefined && dispute.providerId !== item.providerId) return false;
    return dispute.redeemedAt === undefined || dispute.redeemedAt === item.createdAt;
  });
  return matching.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/**
 * "Det har jeg ikke købt" is offered on a charged purchase with something left to give back,
 * that has not been disputed before.
 */
export function canDispute(item: HistoryItem, dispute: CitizenDispute | undefined): boolean {
  return (
    item.status === 'confirmed' && item.terminal !== undefined && netOre(item) > 0n && dispute === undefined
  );
}
