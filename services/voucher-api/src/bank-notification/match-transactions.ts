import type { BankNotificationOutcome } from '@voucher/db';
import type { BankTransaction } from './parse-camt.ts';

/** A payout line the municipality sent to the bank, as the bank's entries are checked against it. */
export interface KnownPayout {
  settlementId: bigint;
  providerId: number;
  endToEndId: string;
  amountOre: bigint;
  iban: string;
  /** Confirmed by an entry of an earlier import. */
  bankConfirmed: boolean;
}

export interface MatchedTransaction extends BankTransaction {
  position: number;
  outcome: BankNotificationOutcome;
  payout: KnownPayout | null;
}

/**
 * Decides what each debit of a file says about our payouts, in the file's order:
 *   - unmatched: no payout of this municipality has the end-to-end id;
 *   - duplicate: the payout is already confirmed (by an earlier import or earlier in this
 *     file), so a second booking is shown, never counted twice;
 *   - pending: the bank has it but has not booked it (PDNG, or INFO which is never booked);
 *   - confirmed: booked with exactly the payout's amount to exactly the payout's account;
 *   - differs: booked, but the amount or the account is not what we sent.
 * Pure, so the rules are tested without a database; the caller locks the payouts it passes.
 */
export function matchTransactions(
  transactions: readonly BankTransaction[],
  payoutsByEndToEndId: ReadonlyMap<string, KnownPayout>,
): MatchedTransaction[] {
  const confirmedHere = new Set<KnownPayout>();
  return transactions.map((transaction, position) => {
    const payout =
      transaction.endToEndId === null ? undefined : payoutsByEndToEndId.get(transaction.endToEndId);
    if (!payout) return { ...transaction, position, outcome: 'unmatched', payout: null };
    const outcome = outcomeFor(transaction, payout, confirmedHere.has(payout));
    if (outcome === 'confirmed') confirmedHere.add(payout);
    return { ...transaction, position, outcome, payout };
  });
}

function outcomeFor(
  transaction: BankTransaction,
  payout: KnownPayout,
  confirmedEarlierInFile: boolean,
): BankNotificationOutcome {
  if (payout.bankConfirmed || confirmedEarlierInFile) return 'duplicate';
  if (transaction.status !== 'BOOK') return 'pending';
  const same = transaction.amountOre === payout.amountOre && transaction.creditorIban === payout.iban;
  return same ? 'confirmed' : 'differs';
}
