import { describe, expect, it } from 'vitest';
import {
  type CitizenDispute,
  canDispute,
  disputeOf,
  type HistoryItem,
  netOre,
  shownReversals,
} from './history-lines.ts';

const TILL = '0x00000000000000000000000000000000000000aa';

function item(overrides: Partial<HistoryItem> = {}): HistoryItem {
  return {
    redemptionId: '7',
    terminal: TILL,
    providerId: 1,
    programName: 'Fritidspas 2027',
    providerName: 'Demo Idrætsforening',
    amountOre: '15000',
    status: 'confirmed',
    createdAt: '2027-03-01T10:00:00.000Z',
    reversedOre: '0',
    reversals: [],
    ...overrides,
  };
}

function dispute(overrides: Partial<CitizenDispute> = {}): CitizenDispute {
  return {
    id: 'd1',
    terminal: TILL,
    redemptionId: '7',
    providerId: 1,
    reason: 'not_mine',
    status: 'open',
    createdAt: '2027-03-02T10:00:00.000Z',
    ...overrides,
  };
}

describe('history lines', () => {
  it('nets confirmed give-backs off the amount', () => {
    expect(netOre(item({ reversedOre: '5000' }))).toBe(10000n);
    expect(netOre(item({ reversedOre: undefined }))).toBe(15000n);
  });

  it('leaves refused reversals out', () => {
    const shown = shownReversals(
      item({
        reversals: [
          { kind: 'void', amountOre: '15000', status: 'rejected', creditRestored: null, createdAt: 'a' },
          { kind: 'refund', amountOre: '5000', status: 'confirmed', creditRestored: true, createdAt: 'b' },
        ],
      }),
    );
    expect(shown.map((reversal) => reversal.kind)).toEqual(['refund']);
  });

  it('finds the latest dispute of the same terminal and id', () => {
    const older = dispute({ id: 'old', status: 'rejected', createdAt: '2027-03-02T00:00:00.000Z' });
    const newer = dispute({ id: 'new', createdAt: '2027-03-03T00:00:00.000Z' });
    const otherTill = dispute({ id: 'other', terminal: `0x${'b'.repeat(40)}` });
    expect(disputeOf(item(), [older, otherTill, newer])?.id).toBe('new');
    expect(disputeOf(item({ redemptionId: '8' }), [older, newer])).toBeUndefined();
  });

  it("tells apart two terminals' purchases with the same id by provider and time when the line names no terminal", () => {
    const first = item({ terminal: undefined, createdAt: '2027-03-01T10:00:00.000Z' });
    const second = item({ terminal: undefined, createdAt: '2027-03-01T10:05:00.000Z' });
    const disputed = dispute({ redeemedAt: '2027-03-01T10:05:00.000Z' });
    expect(disputeOf(first, [disputed])).toBeUndefined();
    expect(disputeOf(second, [disputed])?.id).toBe('d1');
    expect(disputeOf(item({ providerId: 2, terminal: undefined }), [dispute()])).toBeUndefined();
  });

  it('offers a dispute only on a charged, undisputed purchase with something left', () => {
    expect(canDispute(item(), undefined)).toBe(true);
    expect(canDispute(item(), dispute())).toBe(false);
    expect(canDispute(item({ reversedOre: '15000' }), undefined)).toBe(false);
    expect(canDispute(item({ status: 'pending' }), undefined)).toBe(false);
    expect(canDispute(item({ terminal: undefined }), undefined)).toBe(false);
  });
});
