import type { Settlement, SettlementPayout } from '@voucher/db';
import type { OfficerSignatureView } from '../officer-signing/signatures.ts';

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
  /** When an imported bank notification showed the bank booked exactly this payout. */
  bankConfirmedAt: string | null;
  /** The bank notification import whose entry confirmed it. */
  bankImportId: string | null;
}

/**
 * Where the money stands at the bank, beside the chain's `status`:
 *   not_sent: the settlement is not paid on chain yet, so there is no bank file;
 *   awaiting_bank: some payout with an amount is not yet confirmed by the bank;
 *   paid_in_bank: every payout with an amount is bank-confirmed;
 *   nothing_to_pay: every line was set off whole, so the bank had nothing to pay.
 */
export type SettlementBankStatus = 'not_sent' | 'awaiting_bank' | 'paid_in_bank' | 'nothing_to_pay';

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
  bankStatus: SettlementBankStatus;
  /** Payouts with an amount (the bank file's transactions) and how many the bank confirmed. */
  bankPayoutCount: number;
  bankConfirmedCount: number;
  /** When the last of them was confirmed, once all are. */
  bankPaidAt: string | null;
  /** Which officer signed which step, with the passkey's device name, oldest first. */
  signatures: OfficerSignatureView[];
  payouts: SettlementPayoutView[];
}

export function toSettlementView(
  settlement: Settlement,
  payouts: (SettlementPayout & { providerName: string; bankImportId?: string | null })[],
  signatures: OfficerSignatureView[] = [],
): SettlementView {
  const paid = payouts.filter((payout) => payout.status === 'paid');
  const bank = bankProgress(settlement.status, payouts);
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
    ...bank,
    signatures,
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
      bankConfirmedAt: payout.bankConfirmedAt?.toISOString() ?? null,
      bankImportId: payout.bankImportId ?? null,
    })),
  };
}

/**
 * "Paid in the bank" only when the chain has paid and every line the bank file carried (a
 * line with an amount) is bank-confirmed; a line set off whole never reaches the bank.
 */
export function bankProgress(
  status: Settlement['status'],
  payouts: Pick<SettlementPayout, 'amountOre' | 'bankConfirmedAt'>[],
): Pick<SettlementView, 'bankStatus' | 'bankPayoutCount' | 'bankConfirmedCount' | 'bankPaidAt'> {
  const sent = payouts.filter((payout) => payout.amountOre > 0n);
  const confirmed = sent.flatMap((payout) => (payout.bankConfirmedAt ? [payout.bankConfirmedAt] : []));
  const counts = { bankPayoutCount: sent.length, bankConfirmedCount: confirmed.length };
  if (status !== 'paid') return { bankStatus: 'not_sent', ...counts, bankPaidAt: null };
  if (sent.length === 0) return { bankStatus: 'nothing_to_pay', ...counts, bankPaidAt: null };
  if (confirmed.length < sent.length) return { bankStatus: 'awaiting_bank', ...counts, bankPaidAt: null };
  const last = new Date(Math.max(...confirmed.map((at) => at.getTime())));
  return { bankStatus: 'paid_in_bank', ...counts, bankPaidAt: last.toISOString() };
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
