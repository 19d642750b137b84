import type { ChainOutboxRow } from '@voucher/db';
import { describe, expect, it } from 'vitest';
import { goesAlone, groupIntoTransactions } from './redeem-batch.ts';
import { OPERATOR_SIGNER } from './signers.ts';

let nextId = 1n;
function row(overrides: Partial<ChainOutboxRow> = {}): ChainOutboxRow {
  const id = nextId++;
  return {
    id,
    createdAt: new Date(),
    kind: 'redemption.redeem',
    contract: 'hub',
    functionName: 'redeem',
    args: [],
    signer: OPERATOR_SIGNER,
    status: 'queued',
    nonce: null,
    txHash: null,
    attempts: 0,
    lastError: null,
    confirmedBlock: null,
    idempotencyKey: `row:${id}`,
    ...overrides,
  };
}

const ids = (groups: ChainOutboxRow[][]) => groups.map((group) => group.map((each) => Number(each.id)));

describe('groupIntoTransactions', () => {
  it('sends a run of fresh redemptions as one batch, and other calls alone', () => {
    nextId = 1n;
    const rows = [row(), row(), row({ functionName: 'registerAccount', kind: 'account.register' }), row()];
    expect(ids(groupIntoTransactions(rows))).toEqual([[1, 2], [3], [4]]);
  });

  it('sends a reverted batch again in halves, never with fresh rows, and a half of one alone', () => {
    nextId = 1n;
    const reverted = { txHash: '0xaaaa', nonce: 7n };
    const again = { txHash: '0xbbbb', nonce: 8n };
    const rows = [
      row(reverted),
      row(reverted),
      row(reverted),
      row(reverted),
      row(reverted),
      row(again),
      row(),
      row(),
    ];
    const groups = groupIntoTransactions(rows);
    expect(ids(groups)).toEqual([[1, 2, 3], [4, 5], [6], [7, 8]]);
    expect(groups.map(goesAlone)).toEqual([false, false, true, false]);
  });
});
