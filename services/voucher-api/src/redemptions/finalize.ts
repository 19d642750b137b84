import { voucherHubAbi } from '@voucher/contracts';
import {
  chainOutbox,
  type Database,
  executedRows,
  jsonRows,
  type Redemption,
  redemptions,
} from '@voucher/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Hash, parseEventLogs, type TransactionReceipt } from 'viem';
import { settledReceipt } from '../chain/outbox-sender.ts';
import type { DomainDeps } from '../deps.ts';
import { rejectionCodeFor } from './chain-rejection.ts';
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
  // Verdicts are written together (VerdictWriter), so they take no counter slot of their own.
  if (outcome.status === 'failed') return recordRejection(deps, row, outcome.error);
  return recordConfirmation(deps, row, outcome.txHash as Hash);
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

type Verdict = Partial<Pick<Redemption, 'status' | 'rejectionCode' | 'txHash' | 'periodId' | 'confirmedAt'>>;

async function update(deps: DomainDeps, row: Redemption, change: Verdict): Promise<Redemption> {
  let writer = verdictWriters.get(deps.db);
  if (!writer) {
    writer = new VerdictWriter(deps.db);
    verdictWriters.set(deps.db, writer);
  }
  return writer.record(row, change);
}

interface PendingVerdict {
  row: Redemption;
  change: Verdict;
  resolve(row: Redemption): void;
  reject(error: unknown): void;
}

/**
 * Writes the verdicts recorded in one turn of the event loop in one statement: the sender
 * settles a whole batch of redemptions at once, and each waiting request records its own.
 * Only a pending row is changed; if another instance recorded the verdict first, the row
 * is read back as it stands (the chain gave both the same verdict).
 */
class VerdictWriter {
  private queue: PendingVerdict[] = [];

  constructor(private readonly db: Database) {}

  record(row: Redemption, change: Verdict): Promise<Redemption> {
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => void this.flush());
      this.queue.push({ row, change, resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    try {
      const written = await this.write(batch);
      for (const verdict of batch) {
        const key = keyOf(verdict.row);
        if (written.has(key)) verdict.resolve({ ...verdict.row, ...verdict.change });
        else verdict.resolve(await this.current(verdict.row));
      }
    } catch (error) {
      for (const verdict of batch) verdict.reject(error);
    }
  }

  private async write(batch: PendingVerdict[]): Promise<Set<string>> {
    const verdicts = batch.map(({ row, change }) => ({
      terminal: row.terminal,
      redemption_id: row.redemptionId,
      status: change.status ?? row.status,
      rejection_code: change.rejectionCode ?? null,
      tx_hash: change.txHash ?? null,
      period_id: change.periodId ?? null,
      confirmed_at: change.confirmedAt?.toISOString() ?? null,
    }));
    const result = await this.db.execute(sql`
      UPDATE ${redemptions} SET status = verdict.status, rejection_code = verdict.rejection_code,
        tx_hash = verdict.tx_hash, period_id = verdict.period_id, confirmed_at = verdict.confirmed_at
      FROM jsonb_to_recordset(${jsonRows(verdicts)}) AS verdict(terminal text, redemption_id bigint, status text,
        rejection_code text, tx_hash text, period_id bigint, confirmed_at timestamptz)
      WHERE ${redemptions.terminal} = verdict.terminal AND ${redemptions.redemptionId} = verdict.redemption_id
        AND ${redemptions.status} = 'pending'
      RETURNING ${redemptions.terminal} AS terminal, ${redemptions.redemptionId}::text AS redemption_id`);
    return new Set(
      executedRows<{ terminal: string; redemption_id: string }>(result).map(
        (row) => `${row.terminal}:${row.redemption_id}`,
      ),
    );
  }

  private async current(row: Redemption): Promise<Redemption> {
    const [current] = await this.db
      .select()
      .from(redemptions)
      .where(and(eq(redemptions.terminal, row.terminal), eq(redemptions.redemptionId, row.redemptionId)));
    return current ?? row;
  }
}

function keyOf(row: Pick<Redemption, 'terminal' | 'redemptionId'>): string {
  return `${row.terminal}:${row.redemptionId}`;
}

const verdictWriters = new WeakMap<Database, VerdictWriter>();
