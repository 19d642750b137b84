import { describe, expect, it } from 'vitest';
import { type KnownPayout, matchTransactions } from './match-transactions.ts';
import type { BankTransaction } from './parse-camt.ts';

const payout = (providerId: number, amountOre: bigint, bankConfirmed = false): KnownPayout => ({
  settlementId: 5n,
  providerId,
  endToEndId: `VOUCHER-M101-P3-PRV${providerId}`,
  amountOre,
  iban: `DK50004004401162${providerId}0`,
  bankConfirmed,
});
const booked = (known: KnownPayout, change: Partial<BankTransaction> = {}): BankTransaction => ({
  endToEndId: known.endToEndId,
  amountOre: known.amountOre,
  creditorIban: known.iban,
  bookingDate: '2027-02-02',
  status: 'BOOK',
  ...change,
});

describe('matching bank debits to payouts', () => {
  const seven = payout(7, 15_000n);
  const eight = payout(8, 25_050n);
  const done = payout(9, 100n, true);
  const known = new Map([seven, eight, done].map((p) => [p.endToEndId, p]));

  it.each<[string, BankTransaction, string]>([
    ['exact amount and account', booked(seven), 'confirmed'],
    ['one øre less', booked(seven, { amountOre: 14_999n }), 'differs'],
    ['another account', booked(seven, { creditorIban: 'DK0912345678901234' }), 'differs'],
    ['no account in the file', booked(seven, { creditorIban: null }), 'differs'],
    ['not yet booked', booked(seven, { status: 'PDNG', bookingDate: null }), 'pending'],
    ['for information only', booked(seven, { status: 'INFO' }), 'pending'],
    ['an id we never sent', booked(seven, { endToEndId: 'VOUCHER-M147-P3-PRV7' }), 'unmatched'],
    ['no id at all', booked(seven, { endToEndId: null }), 'unmatched'],
    ['a payout confirmed by an earlier import', booked(done), 'duplicate'],
  ])('%s → %s', (_name, transaction, outcome) => {
    const [matched] = matchTransactions([transaction], known);
    expect(matched?.outcome).toBe(outcome);
    expect(matched?.payout === null).toBe(outcome === 'unmatched');
  });

  it('confirms a payout once per file: a second booking of it is a duplicate, a differing first does not count', () => {
    const outcomes = matchTransactions(
      [booked(eight, { amountOre: 1n }), booked(eight), booked(eight), booked(seven)],
      known,
    ).map((m) => [m.position, m.outcome]);
    expect(outcomes).toEqual([
      [0, 'differs'],
      [1, 'confirmed'],
      [2, 'duplicate'],
      [3, 'confirmed'],
    ]);
  });
});
