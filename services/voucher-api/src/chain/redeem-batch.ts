import { voucherHubAbi } from '@voucher/contracts';
import type { ChainOutboxRow } from '@voucher/db';
import {
  type AbiFunction,
  type Address,
  decodeErrorResult,
  encodeFunctionData,
  getAbiItem,
  type Hex,
  isAddressEqual,
  parseEventLogs,
  parseTransaction,
  type TransactionReceipt,
  toFunctionSelector,
} from 'viem';
import { revertText } from './chain-errors.ts';
import type { PreparedCall } from './intent-call.ts';
import { OPERATOR_SIGNER } from './signers.ts';

/**
 * Redemptions at a busy counter travel together: a run of queued `redeem` rows becomes one
 * `redeemBatch` transaction, where the hub judges each on its own. One transaction, one
 * signature and one block per run instead of per redemption is what lets the relayer keep
 * up with many counters at once on one node.
 */

/** Large enough to carry a rush, small enough to stay far below a block's gas limit. */
export const REDEEM_BATCH_MAX = 100;

/**
 * Gas a batch is given per redemption. Inside a batch a redemption costs about 26,000 in
 * the usual case and about 63,000 when it is a provider's first in the period (a fresh claim
 * slot), so this covers the worst case with room to spare; unused gas is never charged.
 */
export const GAS_PER_REDEMPTION = 100_000n;
/** The call into the batch itself and its loop. */
const GAS_PER_BATCH = 60_000n;

/** A row the relayer may send inside a batch: the operator's own `hub.redeem`. */
export function isBatchableRedemption(row: ChainOutboxRow): boolean {
  return row.contract === 'hub' && row.functionName === 'redeem' && row.signer === OPERATOR_SIGNER;
}

/**
 * A queued redemption that still names a transaction went out in a batch that reverted as a
 * whole (the hub does that only when gas ran out, RedemptionBatchOutOfGas) and was queued
 * again (see OutboxSender.requeueRevertedBatch). The hash names that batch: the rows sharing it
 * go again in halves, and a half of one alone.
 */
export function isFromRevertedBatch(row: ChainOutboxRow): boolean {
  return row.status === 'queued' && row.txHash !== null && isBatchableRedemption(row);
}

/**
 * A row sent back from a reverted batch that now goes on its own, as its own `redeem`: simulated
 * first like any single call, so a redemption the hub refuses fails with its own reason
 * without a nonce, and one that lands gets the gas it needs rather than a batch's share.
 */
export function goesAlone(rows: readonly ChainOutboxRow[]): boolean {
  const [row] = rows;
  return rows.length === 1 && row !== undefined && isFromRevertedBatch(row);
}

/**
 * Splits rows (in id order) into what is sent as one transaction each: every run of
 * batchable redemptions (up to REDEEM_BATCH_MAX, a lone one too) together, anything else on
 * its own. The rows of a batch that reverted as a whole go again as two halves, so a batch
 * that keeps reverting is split down to single redemptions and only those the hub refuses
 * fail, each with its reason.
 * Runs never cross another row, so the id order of the outbox is kept on chain.
 */
export function groupIntoTransactions(rows: readonly ChainOutboxRow[]): ChainOutboxRow[][] {
  const groups: ChainOutboxRow[][] = [];
  let run: ChainOutboxRow[] = [];
  const closeRun = () => {
    const [head] = run;
    if (head) groups.push(...(isFromRevertedBatch(head) ? halves(run) : [run]));
    run = [];
  };
  for (const row of rows) {
    if (!isBatchableRedemption(row)) {
      closeRun();
      groups.push([row]);
      continue;
    }
    // A reverted batch's rows travel only with each other, and fresh rows never join them.
    const family = isFromRevertedBatch(row) ? row.txHash : null;
    const [head] = run;
    if (head && (isFromRevertedBatch(head) ? head.txHash : null) !== family) closeRun();
    run.push(row);
    if (run.length === REDEEM_BATCH_MAX) closeRun();
  }
  closeRun();
  return groups;
}

function halves<T>(run: T[]): T[][] {
  if (run.length < 2) return [run];
  const middle = Math.ceil(run.length / 2);
  return [run.slice(0, middle), run.slice(middle)];
}

/** Whether signed bytes call `redeemBatch` (rather than a single `redeem`). */
export function callsRedeemBatch(rawTx: Hex): boolean {
  return parseTransaction(rawTx).data?.slice(0, 10) === REDEEM_BATCH_SELECTOR;
}

const REDEEM_BATCH_SELECTOR = toFunctionSelector(
  getAbiItem({ abi: voucherHubAbi, name: 'redeemBatch' }) as AbiFunction,
);

/** One `redeemBatch` call carrying the prepared `redeem` calls in their order. */
export function batchCall(hub: Address, calls: readonly PreparedCall[]): PreparedCall {
  const batch = calls.map((call) => {
    const [redemption, sigR, sigVs] = call.args as [unknown, Hex, Hex];
    return { redemption, sigR, sigVs };
  });
  const args = [batch];
  const data = encodeFunctionData({ abi: voucherHubAbi, functionName: 'redeemBatch', args } as never);
  return { contract: 'hub', abi: voucherHubAbi, to: hub, functionName: 'redeemBatch', args, data };
}

export function batchGasLimit(redemptions: number, gasPerRedemption = GAS_PER_REDEMPTION): bigint {
  return GAS_PER_BATCH + gasPerRedemption * BigInt(redemptions);
}

/**
 * The redemptions the hub refused in a mined batch, by their place in it, each with the
 * error `redeem` reverted with, written like a decoded revert (e.g. `VoucherCreditInsufficient(…)`).
 */
export function refusalsIn(receipt: TransactionReceipt, hub: Address): Map<number, string> {
  const refusals = new Map<number, string>();
  const logs = receipt.logs.filter((log) => isAddressEqual(log.address, hub));
  for (const log of parseEventLogs({ abi: voucherHubAbi, eventName: 'RedemptionRefused', logs })) {
    refusals.set(Number(log.args.index), describeRefusal(log.args.reason));
  }
  return refusals;
}

function describeRefusal(reason: Hex): string {
  try {
    const { errorName, args } = decodeErrorResult({ abi: voucherHubAbi, data: reason });
    return revertText(errorName, (args ?? []) as readonly unknown[]);
  } catch {
    return `Unknown(${reason.slice(0, 10)})`;
  }
}
