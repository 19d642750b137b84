import type {
  BankNotificationEntry,
  BankNotificationOutcome,
  BankNotificationSummary,
  Settlement,
} from '../api/types.ts';

/** The API's cap on an uploaded file (routes/bank-notifications): checked here before sending. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** Outcomes in the order finance reads them: what needs a look first, what is done last. */
export const OUTCOME_ORDER: readonly BankNotificationOutcome[] = [
  'differs',
  'unmatched',
  'duplicate',
  'pending',
  'confirmed',
];

/** Why a chosen file is not sent, as an i18n key; undefined when it may be sent. */
export function fileProblem(file: { name: string; size: number }): string | undefined {
  if (!/\.xml$/i.test(file.name)) return 'bankNotification.notXml';
  if (file.size === 0) return 'bankNotification.empty';
  if (file.size > MAX_FILE_BYTES) return 'bankNotification.tooLarge';
  return undefined;
}

/** The import's outcomes that occurred, in reading order, with their counts. */
export function outcomeCounts(
  counts: BankNotificationSummary['counts'],
): { outcome: BankNotificationOutcome; count: number }[] {
  return OUTCOME_ORDER.map((outcome) => ({ outcome, count: counts[outcome] })).filter((c) => c.count > 0);
}

/** What the bank did differently from the payout: its amount, its account, or both. */
export function differences(entry: BankNotificationEntry): ('amount' | 'account')[] {
  if (entry.outcome !== 'differs') return [];
  const found: ('amount' | 'account')[] = [];
  if (entry.expectedAmountOre !== null && entry.expectedAmountOre !== entry.amountOre) found.push('amount');
  if (entry.expectedIban !== entry.creditorIban) found.push('account');
  return found;
}

export type PayoutBankState =
  | { kind: 'confirmed'; at: string }
  | { kind: 'awaiting' }
  | { kind: 'not_sent' }
  | { kind: 'no_transfer' };

/**
 * What a payout line says about the bank: confirmed (with when), awaiting the bank's
 * notification, not sent yet (the chain has not paid, so there is no bank file), or no
 * transfer at all (its claim was set off whole, so the bank file left it out).
 */
export function payoutBankState(
  payout: Settlement['payouts'][number],
  settlementStatus: Settlement['status'],
): PayoutBankState {
  if (payout.bankConfirmedAt) return { kind: 'confirmed', at: payout.bankConfirmedAt };
  if (BigInt(payout.amountOre) === 0n) return { kind: 'no_transfer' };
  if (settlementStatus !== 'paid') return { kind: 'not_sent' };
  return { kind: 'awaiting' };
}
