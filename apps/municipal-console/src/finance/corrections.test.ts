import { describe, expect, it } from 'vitest';
import type { PeriodCorrections } from '../api/types.ts';
import { da } from '../i18n/da.ts';
import { en } from '../i18n/en.ts';
import { correctionsByProvider, isFromEarlierPeriod, totalsAgree } from './corrections.ts';

type Line = PeriodCorrections['reversals'][number];

function line(overrides: Partial<Line> = {}): Line {
  return {
    providerId: 1,
    providerName: 'Demo Idrætsforening',
    kind: 'void',
    reason: 'mistyped',
    amountOre: '15000',
    fromClaimOre: '15000',
    receivableOre: '0',
    creditRestored: true,
    originalRedemptionId: '7',
    originalPeriodId: 3,
    confirmedAt: '2027-03-01T10:05:00.000Z',
    ...overrides,
  };
}

const REPORT: PeriodCorrections = {
  periodId: 3,
  reversals: [
    line(),
    line({
      providerId: 2,
      providerName: 'Demo Boghandel',
      kind: 'refund',
      reason: 'returned',
      amountOre: '5000',
      fromClaimOre: '2000',
      receivableOre: '3000',
      originalPeriodId: 2,
    }),
    line({
      kind: 'refund',
      reason: 'dispute',
      amountOre: '2550',
      fromClaimOre: '2550',
      originalRedemptionId: '9',
    }),
  ],
  totals: { voidedOre: '15000', refundedOre: '7550', receivableOre: '3000' },
};

describe('corrections per period', () => {
  it('sums voids, refunds, claim and receivable per provider exactly', () => {
    expect(correctionsByProvider(REPORT)).toEqual([
      {
        providerId: 1,
        providerName: 'Demo Idrætsforening',
        count: 2,
        voidedOre: 15000n,
        refundedOre: 2550n,
        fromClaimOre: 17550n,
        receivableOre: 0n,
      },
      {
        providerId: 2,
        providerName: 'Demo Boghandel',
        count: 1,
        voidedOre: 0n,
        refundedOre: 5000n,
        fromClaimOre: 2000n,
        receivableOre: 3000n,
      },
    ]);
  });

  it('checks the lines against the totals', () => {
    expect(totalsAgree(REPORT)).toBe(true);
    expect(totalsAgree({ ...REPORT, totals: { ...REPORT.totals, refundedOre: '7551' } })).toBe(false);
    expect(
      totalsAgree({
        periodId: 4,
        reversals: [],
        totals: { voidedOre: '0', refundedOre: '0', receivableOre: '0' },
      }),
    ).toBe(true);
  });

  it('marks a refund of an earlier period', () => {
    expect(isFromEarlierPeriod(line({ originalPeriodId: 2 }), 3)).toBe(true);
    expect(isFromEarlierPeriod(line({ originalPeriodId: '3' }), 3)).toBe(false);
    expect(isFromEarlierPeriod(line({ originalPeriodId: null }), 3)).toBe(false);
  });

  it('names every kind and reason in both languages', () => {
    for (const texts of [da, en]) {
      expect(texts.corrections.kinds.void).toBeTruthy();
      expect(texts.corrections.kinds.refund).toBeTruthy();
      for (const reason of ['mistyped', 'cancelled', 'returned', 'dispute', 'other'] as const) {
        expect(texts.corrections.reasons[reason]).toBeTruthy();
      }
    }
  });
});
