import { describe, expect, it } from 'vitest';
import type { DisputeView } from '../api/types.ts';
import { da } from '../i18n/da.ts';
import { en } from '../i18n/en.ts';
import { ROUTES, routesFor } from '../routes.ts';
import { canDecide, outstandingOre, queueOrder } from './dispute-queue.ts';

function dispute(overrides: Partial<DisputeView> = {}): DisputeView {
  return {
    id: 'd1',
    municipalityId: 101,
    terminal: `0x${'a'.repeat(40)}`,
    redemptionId: '7',
    providerId: 1,
    providerName: 'Demo Idrætsforening',
    programId: '2',
    programName: 'Fritidspas 2027',
    amountOre: '15000',
    redeemedAt: '2027-03-01T10:00:00.000Z',
    reason: 'not_mine',
    raisedBy: 'citizen',
    status: 'open',
    refundedOre: '0',
    createdAt: '2027-03-02T10:00:00.000Z',
    decidedAt: null,
    ...overrides,
  };
}

describe('the disputes queue', () => {
  it('puts open disputes first, the longest waiting at the top, then the latest decided', () => {
    const order = queueOrder([
      dispute({ id: 'decided-early', status: 'rejected', decidedAt: '2027-03-03T00:00:00.000Z' }),
      dispute({ id: 'open-late', createdAt: '2027-03-05T00:00:00.000Z' }),
      dispute({ id: 'refunded', status: 'refunded', createdAt: '2027-03-04T00:00:00.000Z' }),
      dispute({ id: 'open-early', createdAt: '2027-03-01T12:00:00.000Z' }),
      dispute({ id: 'decided-late', status: 'upheld', decidedAt: '2027-03-06T00:00:00.000Z' }),
    ]);
    expect(order.map((row) => row.id)).toEqual([
      'open-early',
      'open-late',
      'decided-late',
      'refunded',
      'decided-early',
    ]);
  });

  it('lets a caseworker decide an open dispute, and nobody else or nothing closed', () => {
    expect(canDecide('caseworker', dispute())).toBe(true);
    expect(canDecide('finance', dispute())).toBe(false);
    expect(canDecide(undefined, dispute())).toBe(false);
    for (const status of ['refunded', 'upheld', 'rejected']) {
      expect(canDecide('caseworker', dispute({ status }))).toBe(false);
    }
  });

  it('counts what the provider has not given back yet', () => {
    expect(outstandingOre(dispute({ refundedOre: '5000' }))).toBe(10000n);
    expect(outstandingOre(dispute({ refundedOre: '15000' }))).toBe(0n);
  });

  it('is on the menu of caseworkers and finance, after their own first screen', () => {
    expect(routesFor('caseworker').map((route) => route.name)).toContain('disputes');
    expect(routesFor('finance').map((route) => route.name)).toContain('disputes');
    expect(routesFor('auditor').map((route) => route.name)).not.toContain('disputes');
    expect(routesFor('caseworker')[0]?.name).toBe('citizens');
    expect(routesFor('finance')[0]?.name).toBe('programs');
    expect(ROUTES.find((route) => route.name === 'disputes')?.navKey).toBe('nav.disputes');
  });

  it('names every status, reason and raiser in both languages', () => {
    for (const texts of [da, en]) {
      for (const status of ['open', 'refunded', 'upheld', 'rejected'] as const) {
        expect(texts.disputes.statuses[status]).toBeTruthy();
      }
      for (const reason of ['not_mine', 'wrong_amount', 'not_delivered', 'other'] as const) {
        expect(texts.disputes.reasons[reason]).toBeTruthy();
      }
      expect(texts.disputes.raisedBy.citizen).toBeTruthy();
      expect(texts.disputes.raisedBy.caseworker).toBeTruthy();
    }
  });
});
