import { describe, expect, it } from 'vitest';
import type { BankNotificationEntry, Settlement } from '../api/types.ts';
import { da } from '../i18n/da.ts';
import { en } from '../i18n/en.ts';
import {
  differences,
  fileProblem,
  MAX_FILE_BYTES,
  OUTCOME_ORDER,
  outcomeCounts,
  payoutBankState,
} from './bank-notifications.ts';

type Payout = Settlement['payouts'][number];

const payout = (overrides: Partial<Payout> = {}): Payout => ({
  providerId: 7,
  providerName: 'Demo Idrætsforening',
  amountOre: '15000',
  redemptionCount: 2,
  endToEndId: 'VOUCHER-M101-P1-PRV7',
  status: 'paid',
  paidTxHash: '0xabc',
  bankConfirmedAt: null,
  bankImportId: null,
  ...overrides,
});

const entry = (overrides: Partial<BankNotificationEntry> = {}): BankNotificationEntry => ({
  position: 0,
  endToEndId: 'VOUCHER-M101-P1-PRV7',
  amountOre: '15000',
  creditorIban: 'DK5000400440116243',
  bookingDate: '2027-02-02',
  bankStatus: 'BOOK',
  outcome: 'differs',
  settlementId: '1',
  periodId: 1,
  providerId: 7,
  providerName: 'Demo Idrætsforening',
  expectedAmountOre: '15000',
  expectedIban: 'DK5000400440116243',
  ...overrides,
});

describe('bank notifications in the console', () => {
  it.each([
    [{ name: 'camt054-2027-02-02.xml', size: 12_000 }, undefined],
    [{ name: 'CAMT053.XML', size: MAX_FILE_BYTES }, undefined],
    [{ name: 'kontoudtog.csv', size: 12_000 }, 'bankNotification.notXml'],
    [{ name: 'tom.xml', size: 0 }, 'bankNotification.empty'],
    [{ name: 'stor.xml', size: MAX_FILE_BYTES + 1 }, 'bankNotification.tooLarge'],
  ])('checks %o before sending it: %s', (file, problem) => {
    expect(fileProblem(file)).toBe(problem);
  });

  it('lists the outcomes that occurred, what needs a look first', () => {
    expect(
      outcomeCounts({
        entries: 6,
        confirmed: 3,
        differs: 1,
        unmatched: 1,
        duplicate: 0,
        pending: 1,
        ignoredCredit: 2,
      }),
    ).toEqual([
      { outcome: 'differs', count: 1 },
      { outcome: 'unmatched', count: 1 },
      { outcome: 'pending', count: 1 },
      { outcome: 'confirmed', count: 3 },
    ]);
  });

  it('names what the bank did differently', () => {
    expect(differences(entry({ amountOre: '14900' }))).toEqual(['amount']);
    expect(differences(entry({ creditorIban: 'DK0912345678901234' }))).toEqual(['account']);
    expect(differences(entry({ amountOre: '1', creditorIban: null }))).toEqual(['amount', 'account']);
    expect(differences(entry({ outcome: 'confirmed' }))).toEqual([]);
  });

  it('tells for each payout whether the bank confirmed it, and when', () => {
    const at = '2027-02-02T07:00:00.000Z';
    expect(payoutBankState(payout({ bankConfirmedAt: at }), 'paid')).toEqual({ kind: 'confirmed', at });
    expect(payoutBankState(payout(), 'paid')).toEqual({ kind: 'awaiting' });
    expect(payoutBankState(payout({ status: 'pending' }), 'executing')).toEqual({ kind: 'not_sent' });
    expect(payoutBankState(payout({ amountOre: '0' }), 'paid')).toEqual({ kind: 'no_transfer' });
  });

  it('has a Danish and an English text for every outcome and problem', () => {
    for (const language of [da, en]) {
      for (const outcome of OUTCOME_ORDER) expect(language.bankNotification.outcomes[outcome]).toBeTruthy();
      for (const key of ['notXml', 'empty', 'tooLarge'] as const)
        expect(language.bankNotification[key]).toBeTruthy();
      expect(language.errors.BANK_NOTIFICATION_INVALID).toBeTruthy();
    }
  });
});
