import { voucherHubAbi } from '@voucher/contracts';
import { chainOutbox, type Redemption, redemptions } from '@voucher/db';
import { and, eq, inArray } from 'drizzle-orm';
import { type Hash, parseEventLogs, type TransactionReceipt } from 'viem';
import { settledReceipt } from '../chain/outbox-sender.ts';
import type { DomainDeps } from '../deps.ts';
import { rejectionCodeFor } from './chain-rejection.ts';
import { withCounterSlot } from './counter-admission.ts';
import { waitForOutboxRow } from './outbox-waiter.ts';

/**
 * Waits up to `waitMs` for the chain's verdict on a pending redemption and records it.
 * A row that is still pending afterwards is returned as it is: the outbox keeps sending it,
 * and the status URL (or settlePendingRedemptions) records the verdict later.
 */
export async function awaitOutcome(deps: DomainDeps, row: Redemption, waitMs: number): Promise<Redemption> {
  if (row.status !== 'pending' || row.outboxId === null || !deps.chain) return row;
  const outcome =
    waitMs === 0
      ? await deps.chain.outbox.waitFor(row.outboxId, 0)
      : await waitForOutboxRow(deps.db, deps.chain, row.outboxId, waitMs);
  if (outcome.status === 'pending') return row;
  if (outcome.status === 'failed') return withCounterSlot(() => recordRejection(deps, row, outcome.error));
  return withCounterSlot(() => recordConfirmation(deps, row, outcome.txHash as Hash));
}

/** Records the verdict of every pending redemption whose transaction has settled. */
export async function settlePendingRedemptions(deps: DomainDeps, limit = 500): Promise<number> {
  const rows = await deps.db
    .select({
      redemption: redemptions,
      outboxStatus: chainOutbox.status,
      outboxError: chainOutbox.lastError,
      txHash: chainOutbox.txHash,
    })
    .from(redemptions)
    .innerJoin(chainOutbox, eq(chainOutbox.id, redemptions.outboxId))
    .where(and(eq(redemptions.status, 'pending'), inArray(chainOutbox.status, ['confirmed', 'failed'])))
    .limit(limit);
  for (const row of rows) {
    if (row.outboxStatus === 'failed') await recordRejection(deps, row.redemption, row.outboxError);
    else await recordConfirmation(deps, row.redemption, row.txHash as Hash);
  }
  return rows.length;
}

async function recordRejection(
  deps: DomainDeps,
  row: Redemption,
  lastError: string | null,
): Promise<Redemption> {
  return update(deps, row, { status: 'rejected', rejectionCode: rejectionCodeFor(lastError) });
}

/** The period comes from the hub's own Redeemed event in the receipt, never from a guess. */
async function recordConfirmation(deps: DomainDeps, row: Redemption, txHash: Hash): Promise<Redemption> {
  const chain = deps.chain;
  if (!chain) return row;
  // Usually the sender of this process has just settled it and still holds the receipt.
  const receipt =
    settledReceipt(txHash) ?? (await chain.publicClient.getTransactionReceipt({ hash: txHash }));
  const period = redeemedPeriods(receipt).get(redemptionKey(row.terminal, row.redemptionId));
  if (period === undefined)
    throw new Error(`transaction ${txHash} holds no Redeemed event for this redemption`);
  return update(deps, row, { status: 'confirmed', txHash, periodId: period, confirmedAt: deps.now() });
}

const periodsByReceipt = new WeakMap<TransactionReceipt, Map<string, bigint>>();

/**
 * The period of every redemption a receipt holds, decoded once per receipt: a batch carries
 * up to a hundred redemptions, and each of their requests looks its own one up here.
 */
function redeemedPeriods(receipt: TransactionReceipt): Map<string, bigint> {
  let periods = periodsByReceipt.get(receipt);
  if (!periods) {
    periods = new Map();
    for (const log of parseEventLogs({ abi: voucherHubAbi, eventName: 'Redeemed', logs: receipt.logs })) {
      periods.set(redemptionKey(log.args.terminal, log.args.redemptionId), BigInt(log.args.period));
    }
    periodsByReceipt.set(receipt, periods);
  }
  return periods;
}

function redemptionKey(terminal: string, redemptionId: bigint): string {
  return `${terminal.toLowerCase()}:${redemptionId}`;
}

async function update(
  deps: DomainDeps,
  row: Redemption,
  change: Partial<Pick<Redemption, 'status' | 'rejectionCode' | 'txHash' | 'periodId' | 'confirmedAt'>>,
): Promise<Redemption> {
  const [updated] = await deps.db
    .update(redemptions)
    .set(change)
    .where(
      and(
        eq(redemptions.terminal, row.terminal),
        eq(redemptions.redemptionId, row.redemptionId),
        eq(redemptions.status, 'pending'),
      ),
    )
    .returning();
  if (updated) return updated;
  // Someone else recorded the verdict first; theirs is the same.
  const [current] = await deps.db
    .select()
    .from(redemptions)
    .where(and(eq(redemptions.terminal, row.terminal), eq(redemptions.redemptionId, row.redemptionId)));
  return current ?? row;
}
