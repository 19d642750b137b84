import { voucherHubAbi } from '@voucher/contracts';
import type { ChainOutboxRow } from '@voucher/db';
import {
  type Address,
  decodeErrorResult,
  encodeFunctionData,
  type Hex,
  isAddressEqual,
  parseEventLogs,
  type TransactionReceipt,
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
const GAS_PER_REDEMPTION = 100_000n;
/** The call into the batch itself and its loop. */
const GAS_PER_BATCH = 60_000n;

/** A row the relayer may send inside a batch: the operator's own `hub.redeem`. */
export function isBatchableRedemption(row: ChainOutboxRow): boolean {
  return row.contract === 'hub' && row.functionName === 'redeem' && row.signer === OPERATOR_SIGNER;
}

/**
 * Splits rows (in id order) into what is sent as one transaction each: every run of
 * batchable redemptions (up to REDEEM_BATCH_MAX, a lone one too) together, anything else on
 * its own.
 * Runs never cross another row, so the id order of the outbox is kept on chain.
 */
export function groupIntoTransactions(rows: readonly ChainOutboxRow[]): ChainOutboxRow[][] {
  const groups: ChainOutboxRow[][] = [];
  let run: ChainOutboxRow[] = [];
  const closeRun = () => {
    if (run.length > 0) groups.push(run);
    run = [];
  };
  for (const row of rows) {
    if (!isBatchableRedemption(row)) {
      closeRun();
      groups.push([row]);
      continue;
    }
    run.push(row);
    if (run.length === REDEEM_BATCH_MAX) closeRun();
  }
  closeRun();
  return groups;
}

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

export function batchGasLimit(redemptions: number): bigint {
  return GAS_PER_BATCH + GAS_PER_REDEMPTION * BigInt(redemptions);
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
