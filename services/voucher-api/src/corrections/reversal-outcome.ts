import { voucherHubAbi } from '@voucher/contracts';
import { appendAudit, type RedemptionReversal, redemptionReversals } from '@voucher/db';
import { and, eq } from 'drizzle-orm';
import { type Hash, isAddressEqual, parseEventLogs, type TransactionReceipt } from 'viem';
import { SYSTEM_ACTOR } from '../audit/actor.ts';
import type { ChainGateway } from '../chain/gateway.ts';
import { settledReceipt } from '../chain/outbox-sender.ts';
import type { DomainDeps } from '../deps.ts';
import { markDisputeRefunded } from '../disputes/mark-dispute-refunded.ts';
import { waitForOutboxRow } from '../redemptions/outbox-waiter.ts';
import { reversalRejectionCodeFor } from './chain-rejection.ts';

/**
 * Waits up to `waitMs` for the chain's verdict on a pending reversal and records it. A row
 * still pending afterwards is returned as it is: the outbox keeps sending it, and the next
 * read of the redemption's reversals records the verdict.
 */
export async function awaitReversalOutcome(
  deps: DomainDeps,
  row: RedemptionReversal,
  waitMs: number,
): Promise<RedemptionReversal> {
  const chain = deps.chain;
  if (row.status !== 'pending' || row.outboxId === null || !chain) return row;
  const outcome =
    waitMs === 0
      ? await chain.outbox.waitFor(row.outboxId, 0)
      : await waitForOutboxRow(deps.db, chain, row.outboxId, waitMs);
  if (outcome.status === 'pending') return row;
  if (outcome.status === 'failed') {
    return recordVerdict(deps, row, {
      status: 'rejected',
      rejectionCode: reversalRejectionCodeFor(outcome.error),
    });
  }
  return recordConfirmation(deps, chain, row, outcome.txHash as Hash);
}

/**
 * Where the reversal landed and how, from the hub's own RedemptionReversed event in the
 * receipt: the open period at that moment, how much came off the provider's claim there (the
 * rest became a receivable) and whether the citizen got the credit or use back. Never guessed.
 */
async function recordConfirmation(
  deps: DomainDeps,
  chain: ChainGateway,
  row: RedemptionReversal,
  txHash: Hash,
): Promise<RedemptionReversal> {
  const receipt =
    settledReceipt(txHash) ?? (await chain.publicClient.getTransactionReceipt({ hash: txHash }));
  const landed = reversedEvent(receipt, chain, row);
  if (!landed) throw new Error(`transaction ${txHash} holds no RedemptionReversed event for this reversal`);
  return recordVerdict(deps, row, {
    status: 'confirmed',
    txHash,
    periodId: BigInt(landed.period),
    fromClaimOre: landed.fromClaimOre,
    creditRestored: landed.creditRestored,
    confirmedAt: deps.now(),
  });
}

function reversedEvent(receipt: TransactionReceipt, chain: ChainGateway, row: RedemptionReversal) {
  const logs = receipt.logs.filter((log) => isAddressEqual(log.address, chain.addresses.hub));
  return parseEventLogs({ abi: voucherHubAbi, eventName: 'RedemptionReversed', logs }).find(
    ({ args }) =>
      args.terminal.toLowerCase() === row.originalTerminal &&
      args.redemptionId === row.originalRedemptionId &&
      args.reversalId === row.reversalId,
  )?.args;
}

type Verdict = Partial<
  Pick<
    RedemptionReversal,
    'status' | 'rejectionCode' | 'txHash' | 'periodId' | 'fromClaimOre' | 'creditRestored' | 'confirmedAt'
  >
>;

/**
 * Only a pending row changes, with its audit entry in the same transaction. When another
 * request (or instance) recorded the verdict first, the row is read back as it stands: the
 * chain gave both the same verdict.
 */
async function recordVerdict(
  deps: DomainDeps,
  row: RedemptionReversal,
  change: Verdict,
): Promise<RedemptionReversal> {
  const key = and(
    eq(redemptionReversals.terminal, row.terminal),
    eq(redemptionReversals.reversalId, row.reversalId),
  );
  return deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(redemptionReversals)
      .set(change)
      .where(and(key, eq(redemptionReversals.status, 'pending')))
      .returning();
    if (!updated) {
      const [current] = await tx.select().from(redemptionReversals).where(key);
      return current ?? row;
    }
    await appendAudit(tx, {
      ...SYSTEM_ACTOR,
      municipalityId: updated.municipalityId,
      action: updated.status === 'confirmed' ? 'reversal.confirmed' : 'reversal.rejected',
      subjectType: 'reversal',
      subjectId: `${updated.terminal}:${updated.reversalId}`,
      details: {
        kind: updated.kind,
        amountOre: updated.amountOre.toString(),
        periodId: updated.periodId?.toString() ?? null,
        fromClaimOre: updated.fromClaimOre?.toString() ?? null,
        creditRestored: updated.creditRestored,
        rejectionCode: updated.rejectionCode,
      },
    });
    // A refund made for a citizen's dispute settles it, in the same transaction.
    if (updated.status === 'confirmed' && updated.disputeId) await markDisputeRefunded(tx, updated.disputeId);
    return updated;
  });
}
