import {
  type ChainOutboxRow,
  chainOutbox,
  chainTransactions,
  type Database,
  executedRows,
  jsonRows,
  preparedOnce,
  type Transaction,
} from '@voucher/db';
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import {
  type Address,
  type Chain,
  createPublicClient,
  type Hash,
  type Hex,
  http,
  keccak256,
  TransactionNotFoundError,
  type TransactionReceipt,
} from 'viem';
import { classifyBroadcastError, decodeRevert, errorText, receiptIfMined } from './chain-errors.ts';
import type { ChainPublicClient } from './clients.ts';
import type { ChainLogger } from './config.ts';
import { type ContractAddresses, IntentInvalidError, type PreparedCall, prepareCall } from './intent-call.ts';
import { keepAliveFetch } from './keep-alive-fetch.ts';
import {
  batchCall,
  batchGasLimit,
  callsRedeemBatch,
  goesAlone,
  groupIntoTransactions,
  isBatchableRedemption,
  refusalsIn,
} from './redeem-batch.ts';
import { type OutboxSigners, SignerUnavailableError } from './signers.ts';
import type { OutboxOutcome } from './wait-for-outbox.ts';

export interface OutboxSenderOptions {
  db: Database;
  publicClient: ChainPublicClient;
  chain: Chain;
  addresses: ContractAddresses;
  signers: OutboxSigners;
  confirmations: number;
  logger: ChainLogger;
  /** Queued rows signed per drain; the rest wait for the next round. */
  batchSize?: number;
  /** Gas a `redeemBatch` is given per redemption (default GAS_PER_REDEMPTION); a test seam. */
  gasPerRedemption?: bigint;
  /** Test seam: runs after a row is stored as 'signed' and before its broadcast. */
  afterSigned?: (row: { id: bigint; txHash: Hex }) => Promise<void> | void;
}

export interface DrainReport {
  signed: number;
  confirmed: number;
  failed: number;
}

type FailOutcome = { kind: 'failed' | 'taken' };
/** One transaction's worth of rows: a single call, or a run of redemptions sent as a batch. */
interface Simulated {
  kind: 'ready';
  rows: ChainOutboxRow[];
  call: PreparedCall;
  from: Address;
  gasLimit: bigint;
  /** Rows of the group that could never be sent and were failed on the way. */
  failed: number;
}
type SimulationOutcome =
  | Simulated
  | { kind: 'reverted'; rows: ChainOutboxRow[]; revert: string; failed: number }
  | { kind: 'none'; failed: number };
/** Rows that share one signed transaction (a batch shares its nonce, bytes and hash). */
interface InFlightTx {
  hash: Hash;
  rows: ChainOutboxRow[];
  /** The signed bytes when this process just signed them; otherwise read when needed. */
  rawTx?: Hex;
  /** The node took this round's broadcast of it, so a missing receipt only means "not mined yet". */
  accepted?: boolean;
}

// Distinguishes the sender's advisory locks from any other user of pg_advisory_*.
const NONCE_LOCK_NAMESPACE = 0x0b0c;
const GAS_HEADROOM_PERCENT = 20n;
// Rows of a batch are estimated before the earlier ones are mined, and an earlier row can
// turn a cheap storage write into an expensive one (an allowance or balance spent to zero
// and set again costs ~17k more). Unused gas is never charged, so the margin is free.
const GAS_HEADROOM_FIXED = 60_000n;
const IN_FLIGHT_WAIT_MS = 3_000;
const IN_FLIGHT_POLL_MS = 20;
/** Pauses before asking again for a round's receipts: 30 ms at most, then the next round. */
const RECEIPT_RETRY_PAUSES_MS = [2, 4, 8, 16];
const MAX_DEFERRED_ROUNDS = 3;
const FEE_CACHE_MS = 5_000;
// Enough requests in flight to keep the node busy without flooding a remote RPC endpoint.
const SIMULATION_CONCURRENCY = 16;
const BROADCAST_CONCURRENCY = 32;
const RECEIPT_CONCURRENCY = 32;

/**
 * Sends the chain outbox in id order. Each row is simulated, then, under a per-signer
 * PostgreSQL advisory lock, given the next nonce, signed locally and stored as 'signed'
 * with its raw bytes before anything is broadcast. Those exact bytes are what any instance
 * broadcasts, now or after a crash, so a transaction is never signed twice.
 */
export class OutboxSender {
  private readonly batchSize: number;
  private readonly rpc: ChainPublicClient;
  private draining: Promise<DrainReport> = Promise.resolve({ signed: 0, confirmed: 0, failed: 0 });
  private waitingDrain: Promise<DrainReport> | undefined;
  private fees: { readAt: number; value: Promise<FeeFields> } | undefined;
  /** The 'sent' marks of the round's broadcast, awaited before its rows are settled. */
  private marking: Promise<void> | undefined;

  constructor(private readonly options: OutboxSenderOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.rpc = batchingClient(options.publicClient, options.chain);
  }

  /** One round: resume rows in flight, then sign and send queued ones. Calls never overlap. */
  drainOnce(): Promise<DrainReport> {
    return this.queueDrain();
  }

  /**
   * A drain after the running one. Calls while one already waits its turn share it: it reads
   * every row when it starts, so waiters that nudge again and again queue no more than one.
   */
  drainSoon(): Promise<DrainReport> {
    this.waitingDrain ??= this.queueDrain(() => {
      this.waitingDrain = undefined;
    });
    return this.waitingDrain;
  }

  /** A drain once every earlier one has ended, whether it succeeded or not. */
  private queueDrain(onStart?: () => void): Promise<DrainReport> {
    const next = this.draining
      .catch(() => undefined)
      .then(() => {
        onStart?.();
        return this.drain();
      });
    this.draining = next;
    return next;
  }

  /** Resolves when no drain is running (for shutdown). */
  async idle(): Promise<void> {
    await this.draining.catch(() => undefined);
  }

  private async drain(): Promise<DrainReport> {
    const report: DrainReport = { signed: 0, confirmed: 0, failed: 0 };
    // Both reads in one round trip; queued rows read before in-flight ones were settled are
    // still queued rows (only this round signs them).
    const [inFlight, firstQueued] = await Promise.all([
      this.rowsIn(['signed', 'sent']),
      this.rowsIn(['queued'], this.batchSize),
    ]);
    if (inFlight.length > 0) await this.advanceTransactions(byTransaction(inFlight), report);
    let sent: InFlightTx[] = [];
    let queued: ChainOutboxRow[] | undefined = firstQueued;
    for (let round = 0; round < MAX_DEFERRED_ROUNDS; round++) {
      const batch = await this.sendBatch(report, queued);
      queued = undefined;
      sent.push(...batch.sent);
      if (!batch.deferred) break;
      // A revert behind unmined earlier rows may be caused by them (a terminal added
      // before its provider is registered): let them land, then simulate once more.
      await this.settleInFlight(report, IN_FLIGHT_WAIT_MS);
      sent = [];
    }
    // What this round sent is settled from memory; anything else in flight (another
    // instance's, or left by a crash) is read again by the next round.
    let unmined = await this.advanceTransactions(sent, report);
    // A node that mines on arrival (anvil, a private network) has the receipts a few
    // milliseconds after the broadcast: asking again settles them in this round instead of
    // the next one, which at a quiet counter is only due at the loop's interval.
    for (const pause of RECEIPT_RETRY_PAUSES_MS) {
      if (unmined.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, pause));
      unmined = await this.advanceTransactions(unmined, report);
    }
    return report;
  }

  /**
   * One batch of queued rows: simulate them concurrently, sign the ready prefix under the
   * signer's lock with consecutive nonces (stored before anything leaves the process), then
   * broadcast them all at once; receipts are collected afterwards, so rows are pipelined
   * instead of sent one per block. Returns true when a row had to wait for earlier ones.
   */
  private async sendBatch(
    report: DrainReport,
    alreadyRead?: ChainOutboxRow[],
  ): Promise<{ deferred: boolean; sent: InFlightTx[] }> {
    const batch = alreadyRead ?? (await this.rowsIn(['queued'], this.batchSize));
    if (batch.length === 0) return { deferred: false, sent: [] };
    // The same call twice (a duplicate intent) would pass both simulations and then revert on
    // chain; the copy waits for the next round, where simulation refuses it without a nonce.
    const queued = untilRepeatedCall(batch);
    const fees = () => this.cachedFeeFields();
    const simulated = await mapConcurrently(groupIntoTransactions(queued), SIMULATION_CONCURRENCY, (rows) =>
      this.guard(rows, () => this.simulate(rows)),
    );
    const ready: Simulated[] = [];
    let deferred = false;
    for (const outcome of simulated) {
      report.failed += outcome.failed;
      if (outcome.kind === 'ready') ready.push(outcome);
      if (outcome.kind !== 'reverted') continue;
      // Keep the id order: a revert may be caused by an earlier row not yet mined.
      const [first] = outcome.rows;
      if (first && (ready.length > 0 || (await this.hasEarlierRowInFlight(first.id)))) {
        deferred = true;
        break;
      }
      for (const row of outcome.rows) {
        if ((await this.fail(row, outcome.revert)).kind === 'failed') report.failed += 1;
      }
    }
    if (queued.length < batch.length) deferred = true;
    const transactions = await this.signAll(ready, fees);
    for (const tx of transactions) {
      report.signed += tx.rows.length;
      for (const row of tx.rows) await this.options.afterSigned?.({ id: row.id, txHash: tx.hash });
    }
    const broadcasts = await mapConcurrently(transactions, BROADCAST_CONCURRENCY, (tx) =>
      this.guard(tx.rows, () => this.broadcastBytes(tx)),
    );
    transactions.forEach((tx, index) => {
      if (!broadcasts[index]) report.failed += tx.rows.length;
    });
    const sent = transactions.filter((_, index) => broadcasts[index]);
    for (const tx of sent) {
      tx.rows = tx.rows.map((row) => ({ ...row, status: 'sent' as const }));
      tx.accepted = true;
    }
    // Marked while the receipts are fetched (see advanceTransactions).
    this.marking = this.markSent(sent);
    // Whoever awaits it sees a failure; until then it must not count as unhandled.
    this.marking.catch(() => undefined);
    return { deferred, sent };
  }

  private async advanceInFlight(report: DrainReport): Promise<number> {
    const rows = await this.rowsIn(['signed', 'sent']);
    if (rows.length === 0) return 0;
    await this.advanceTransactions(byTransaction(rows), report);
    return rows.length;
  }

  /** Settles the transactions mined deep enough; returns those not mined yet. */
  private async advanceTransactions(transactions: InFlightTx[], report: DrainReport): Promise<InFlightTx[]> {
    // The round's 'sent' marks go out with the receipt requests and land before any settling.
    const marking = this.marking;
    this.marking = undefined;
    if (transactions.length === 0) {
      await marking;
      return [];
    }
    // Without confirmations to wait for, every receipt is deep enough: the head is not needed.
    const [, head, receipts] = await Promise.all([
      marking,
      this.options.confirmations === 0 ? 0n : this.rpc.getBlockNumber({ cacheTime: 0 }),
      mapConcurrently(transactions, RECEIPT_CONCURRENCY, (tx) => this.advance(tx, report)),
    ]);
    const mined = transactions.flatMap((tx, index) => {
      const receipt = receipts[index];
      return typeof receipt === 'object' ? [{ tx, receipt }] : [];
    });
    await this.settle(mined, head, report);
    return transactions.filter((_, index) => receipts[index] === undefined);
  }

  /** Polls rows in flight until none is left or the time is up. */
  private async settleInFlight(report: DrainReport, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.advanceInFlight(report)) > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_POLL_MS));
    }
  }

  /** Rows in flight, or the first queued ones; every round reads both, so built once. */
  private rowsIn(statuses: ChainOutboxRow['status'][], limit?: number): Promise<ChainOutboxRow[]> {
    const query = preparedOnce(this.options.db, 'outbox-rows-in-status', (db) =>
      db
        .select()
        .from(chainOutbox)
        .where(sql`${chainOutbox.status} = ANY(string_to_array(${sql.placeholder('statuses')}, ','))`)
        .orderBy(asc(chainOutbox.id))
        .limit(sql.placeholder('limit'))
        .prepare('outbox_rows_in_status'),
    );
    // LIMIT NULL is no limit.
    return query.execute({ statuses: statuses.join(','), limit: limit ?? null });
  }

  /** Records a transient failure on the rows, then lets the loop back off. */
  private async guard<T>(rows: readonly ChainOutboxRow[], action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      await this.options.db
        .update(chainOutbox)
        .set({ attempts: sql`${chainOutbox.attempts} + 1`, lastError: errorText(error).slice(0, 500) })
        .where(
          inArray(
            chainOutbox.id,
            rows.map((row) => row.id),
          ),
        )
        .catch(() => undefined);
      throw error;
    }
  }

  // ---------------------------------------------------------------- signing

  /**
   * Prepares a group's transaction. Redemptions go as one `redeemBatch`, where the hub judges
   * each on its own and a refusal reverts nothing else; anything else is the row's own call,
   * simulated first so a call that would revert is failed without spending a nonce.
   */
  private async simulate(rows: ChainOutboxRow[]): Promise<SimulationOutcome> {
    const prepared: { row: ChainOutboxRow; call: PreparedCall; from: Address }[] = [];
    let failed = 0;
    for (const row of rows) {
      const outcome = await this.prepare(row);
      if ('call' in outcome) prepared.push({ row, ...outcome });
      else if (outcome.kind === 'failed') failed += 1;
    }
    const [first] = prepared;
    if (!first) return { kind: 'none', failed };
    const kept = prepared.map((item) => item.row);
    // A redemption sent back from a reverted batch that goes alone is simulated as its own call.
    if (isBatchableRedemption(first.row) && !goesAlone(kept)) {
      // Not simulated: the service checked every rule under the account's lock, a refusal
      // costs the others nothing, and a simulation would make the node run the batch twice.
      // The gas limit is fixed and generous (see batchGasLimit); too little gas would revert
      // the whole batch rather than refuse a redemption in it.
      const call = batchCall(
        this.options.addresses.hub,
        prepared.map((item) => item.call),
      );
      return {
        kind: 'ready',
        rows: kept,
        call,
        from: first.from,
        gasLimit: batchGasLimit(kept.length, this.options.gasPerRedemption),
        failed,
      };
    }
    try {
      const gasLimit = await this.estimateWithHeadroom(first.call, first.from);
      return { kind: 'ready', rows: kept, call: first.call, from: first.from, gasLimit, failed };
    } catch (error) {
      const revert = decodeRevert(error);
      if (!revert) throw error;
      return { kind: 'reverted', rows: kept, revert: revert.text, failed };
    }
  }

  private async estimateWithHeadroom(call: PreparedCall, from: Address): Promise<bigint> {
    const gas = await this.rpc.estimateContractGas({
      address: call.to,
      abi: call.abi,
      functionName: call.functionName,
      args: call.args,
      account: from,
    } as never);
    return gas + (gas * GAS_HEADROOM_PERCENT) / 100n + GAS_HEADROOM_FIXED;
  }

  /** The row's call and signer, or its failure when it can never be sent as it is. */
  private async prepare(row: ChainOutboxRow): Promise<{ call: PreparedCall; from: Address } | FailOutcome> {
    const { db, signers, addresses } = this.options;
    try {
      const call = prepareCall(row, addresses, signers.placeholders);
      return { call, from: await signers.addressOf(db, row.signer) };
    } catch (error) {
      if (error instanceof IntentInvalidError || error instanceof SignerUnavailableError) {
        return this.fail(row, `${error.name}: ${error.message}`);
      }
      throw error;
    }
  }

  /** Signs the ready groups, one run of nonces per signer, keeping their id order within it. */
  private async signAll(ready: Simulated[], fees: () => Promise<FeeFields>): Promise<InFlightTx[]> {
    if (ready.length === 0) return [];
    const feeFields = await fees();
    const bySigner = new Map<string, Simulated[]>();
    for (const item of ready) bySigner.set(item.from, [...(bySigner.get(item.from) ?? []), item]);
    const signed: InFlightTx[] = [];
    for (const group of bySigner.values()) {
      try {
        signed.push(...(await this.options.db.transaction((tx) => this.signUnderLock(tx, group, feeFields))));
      } catch (error) {
        // Another instance signed some of these rows first: nothing of ours was stored, and
        // the rest come round again.
        if (!(error instanceof OutboxRowsTakenError)) throw error;
      }
    }
    return signed;
  }

  /**
   * Under the signer's lock: the next nonces, the signatures, and the bytes stored with their
   * rows before anything is broadcast. Rows another instance signed meanwhile make the whole
   * transaction roll back (see storeSigned), so a row is never signed twice.
   */

  private async signUnderLock(tx: Transaction, group: Simulated[], fees: FeeFields): Promise<InFlightTx[]> {
    const [first] = group;
    const signer = first?.rows[0]?.signer;
    if (!first || !signer) return [];
    await tx.execute(
      sql`SELECT pg_advisory_xact_lock(${NONCE_LOCK_NAMESPACE}, hashtext(${first.from.toLowerCase()}))`,
    );
    // Read only once the lock is held, so a rival instance's signed run is seen.
    let nonce = await this.nextNonce(tx, signer, first.from);
    const account = await this.options.signers.accountFor(tx, signer);
    const toStore: SignedTx[] = [];
    for (const { rows, call, gasLimit } of group) {
      const rawTx = await account.signTransaction({
        chainId: this.options.chain.id,
        to: call.to,
        data: call.data,
        nonce: Number(nonce),
        gas: gasLimit,
        ...fees,
      });
      toStore.push({ signer, nonce, rawTx, hash: keccak256(rawTx), rows });
      nonce += 1n;
    }
    const signed = await storeSigned(tx, toStore);
    this.options.logger.debug(
      { transactions: signed.length, firstNonce: String(toStore[0]?.nonce), signer },
      'outbox rows signed',
    );
    return signed;
  }

  /**
   * The higher of the node's pending count (covers anything else this key sent) and one past
   * the highest nonce any outbox row of this signer holds (covers rows signed by an instance
   * that crashed before broadcasting). Called under the signer's advisory lock.
   */
  private async nextNonce(tx: Transaction, signer: string, from: Address): Promise<bigint> {
    const [pending, [stored]] = await Promise.all([
      this.rpc.getTransactionCount({ address: from, blockTag: 'pending' }),
      tx
        .execute(sql`SELECT max(${chainTransactions.nonce})::text AS highest FROM ${chainTransactions}
          WHERE ${chainTransactions.signer} = ${signer}`)
        .then((result) => executedRows<{ highest: string | null }>(result)),
    ]);
    const onChain = BigInt(pending);
    const afterStored = stored?.highest == null ? 0n : BigInt(stored.highest) + 1n;
    return onChain > afterStored ? onChain : afterStored;
  }

  /** Fees change by the block at most; a busy counter signs many times a second. */
  private cachedFeeFields(): Promise<FeeFields> {
    const now = Date.now();
    if (!this.fees || now - this.fees.readAt > FEE_CACHE_MS) {
      const value = this.feeFields();
      this.fees = { readAt: now, value };
      value.catch(() => {
        if (this.fees?.value === value) this.fees = undefined;
      });
    }
    return this.fees.value;
  }

  private async feeFields(): Promise<FeeFields> {
    const publicClient = this.rpc;
    const block = await publicClient.getBlock();
    // Permissioned networks (and the local anvil) usually run with free gas, so staff
    // signers need no ether. A zero base fee says so; tips would be pure waste.
    if (block.baseFeePerGas === 0n) return { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n };
    if (block.baseFeePerGas == null) return { gasPrice: await publicClient.getGasPrice() };
    const { maxFeePerGas, maxPriorityFeePerGas } = await publicClient.estimateFeesPerGas();
    return { maxFeePerGas, maxPriorityFeePerGas };
  }

  private async hasEarlierRowInFlight(id: bigint): Promise<boolean> {
    const [earlier] = await this.options.db
      .select({ id: chainOutbox.id })
      .from(chainOutbox)
      .where(and(lt(chainOutbox.id, id), inArray(chainOutbox.status, ['signed', 'sent'])))
      .limit(1);
    return earlier !== undefined;
  }

  // ---------------------------------------------------------------- broadcast and receipts

  /**
   * Broadcasts the stored bytes if they may not have reached the node ('signed': maybe a
   * crash came first; 'sent' but unknown to the node: e.g. a restarted node lost its pool),
   * then reads the receipt: undefined while not mined, 'failed' when the rows were failed.
   */
  private advance(tx: InFlightTx, report: DrainReport): Promise<TransactionReceipt | 'failed' | undefined> {
    return this.guard(tx.rows, async () => {
      const maybeUnsent = tx.rows.some((row) => row.status === 'signed');
      if (maybeUnsent && !(await this.broadcast(tx))) {
        report.failed += tx.rows.length;
        return 'failed';
      }
      let receipt = await receiptIfMined(this.rpc, tx.hash);
      if (!receipt && !maybeUnsent && !tx.accepted && !(await this.nodeKnows(tx.hash))) {
        if (!(await this.broadcast(tx))) {
          report.failed += tx.rows.length;
          return 'failed';
        }
        receipt = await receiptIfMined(this.rpc, tx.hash);
      }
      return receipt;
    });
  }

  /** False when the nonce went to a different transaction: the rows can never be mined. */
  private async broadcast(tx: InFlightTx): Promise<boolean> {
    if (!(await this.broadcastBytes(tx))) return false;
    await this.markSent([tx]);
    return true;
  }

  /** Sends the stored bytes unchanged; "already known" and "nonce too low" for our own hash are fine. */
  private async broadcastBytes(tx: InFlightTx): Promise<boolean> {
    const [row] = tx.rows;
    if (!row) return false;
    tx.rawTx ??= await this.storedBytes(tx.hash);
    try {
      await this.rpc.sendRawTransaction({ serializedTransaction: tx.rawTx });
    } catch (error) {
      const rejection = classifyBroadcastError(error);
      if (rejection === 'other') throw error;
      const ours = (await receiptIfMined(this.rpc, tx.hash)) || (await this.nodeKnows(tx.hash));
      if (rejection === 'nonce-used' && !ours) {
        const reason = `OutboxNonceUsedElsewhere(${row.nonce}): another transaction took this nonce`;
        for (const each of tx.rows) await this.fail(each, reason);
        return false;
      }
    }
    return true;
  }

  private async storedBytes(hash: Hash): Promise<Hex> {
    const [stored] = await this.options.db
      .select({ rawTx: chainTransactions.rawTx })
      .from(chainTransactions)
      .where(eq(chainTransactions.hash, hash));
    if (!stored) throw new Error(`signed transaction ${hash} is not stored`);
    return stored.rawTx as Hex;
  }

  private async markSent(transactions: InFlightTx[]): Promise<void> {
    if (transactions.length === 0) return;
    await this.options.db
      .update(chainOutbox)
      .set({ status: 'sent' })
      .where(
        and(
          sql`${chainOutbox.txHash} = ANY(string_to_array(${transactions.map((tx) => tx.hash).join(',')}, ','))`,
          eq(chainOutbox.status, 'signed'),
        ),
      );
  }

  private async nodeKnows(hash: Hash): Promise<boolean> {
    try {
      await this.rpc.getTransaction({ hash });
      return true;
    } catch (error) {
      if (error instanceof TransactionNotFoundError) return false;
      throw error;
    }
  }

  /**
   * Settles the mined transactions whose receipts are deep enough: the successful rows in one
   * statement (at a busy counter a drain settles hundreds), a reverted or refused one with
   * its reason.
   */
  private async settle(
    mined: { tx: InFlightTx; receipt: TransactionReceipt }[],
    head: bigint,
    report: DrainReport,
  ): Promise<void> {
    // The head was read before the receipts (or not at all, as 0, when no depth is asked for);
    // a receipt's own block certainly exists.
    const deep = mined.filter(({ receipt }) => {
      const tip = head > receipt.blockNumber ? head : receipt.blockNumber;
      return tip - receipt.blockNumber >= BigInt(this.options.confirmations);
    });
    const succeeded: { row: ChainOutboxRow; receipt: TransactionReceipt }[] = [];
    const outcomes: OutboxOutcome[] = [];
    const failed = (row: ChainOutboxRow, receipt: TransactionReceipt, error: string) =>
      outcomes.push({
        id: row.id,
        status: 'failed',
        txHash: receipt.transactionHash,
        confirmedBlock: receipt.blockNumber,
        error,
      });
    for (const { tx, receipt } of deep) {
      if (receipt.status !== 'success' && (await this.revertedAsBatch(tx))) {
        await this.requeueRevertedBatch(tx, receipt);
        continue;
      }
      if (receipt.status !== 'success') {
        for (const row of tx.rows) failed(row, receipt, await this.settleReverted(row, receipt, report));
        continue;
      }
      rememberReceipt(receipt);
      const refused = await this.refusedRows(tx, receipt);
      for (const row of tx.rows) {
        const refusal = refused.get(row.id);
        if (refusal === undefined) succeeded.push({ row, receipt });
        else failed(row, receipt, await this.settleRefused(row, receipt, refusal, report));
      }
    }
    let confirming: Promise<unknown> | undefined;
    if (succeeded.length > 0) {
      const settled = succeeded.map(({ row, receipt }) => ({ id: row.id, block: receipt.blockNumber }));
      confirming = this.options.db.execute(sql`
        UPDATE ${chainOutbox} SET status = 'confirmed', confirmed_block = settled.block, last_error = NULL
        FROM jsonb_to_recordset(${jsonRows(settled)}) AS settled(id bigint, block bigint)
        WHERE ${chainOutbox.id} = settled.id AND ${chainOutbox.status} IN ('signed', 'sent')`);
      this.options.logger.debug(
        { rows: succeeded.length, transactions: deep.length },
        'outbox rows confirmed',
      );
      report.confirmed += succeeded.length;
      for (const { row, receipt } of succeeded) {
        outcomes.push({
          id: row.id,
          status: 'confirmed',
          txHash: receipt.transactionHash,
          confirmedBlock: receipt.blockNumber,
          error: null,
        });
      }
    }
    // The receipts are final, so the waiting requests hear them while the rows are marked: their
    // verdicts and the marks are written side by side instead of one after the other. Should
    // the mark fail, the rows stay in flight and the next round settles them again.
    if (outcomes.length > 0) announceSettled(outcomes);
    await confirming;
  }

  /**
   * The rows of a mined batch that the hub refused, with the reason. A batch's rows are its
   * redemptions in id order, so a refusal's place in the batch names the row; all rows of
   * the transaction are read, as some may have been settled before a restart.
   */
  private async refusedRows(tx: InFlightTx, receipt: TransactionReceipt): Promise<Map<bigint, string>> {
    const refusals = refusalsIn(receipt, this.options.addresses.hub);
    if (refusals.size === 0) return new Map();
    const inBatchOrder = await this.options.db
      .select({ id: chainOutbox.id })
      .from(chainOutbox)
      .where(eq(chainOutbox.txHash, tx.hash))
      .orderBy(asc(chainOutbox.id));
    const refused = new Map<bigint, string>();
    for (const [index, reason] of refusals) {
      const row = inBatchOrder[index];
      if (row) refused.set(row.id, reason);
    }
    return refused;
  }

  /** A `redeemBatch` transaction (a lone redemption's too), not a single call. */
  private async revertedAsBatch(tx: InFlightTx): Promise<boolean> {
    if (!tx.rows.every(isBatchableRedemption)) return false;
    if (tx.rows.length > 1) return true;
    tx.rawTx ??= await this.storedBytes(tx.hash);
    return callsRedeemBatch(tx.rawTx);
  }

  /**
   * A batch the hub reverted as a whole (it does so only when gas ran out, so that a low gas
   * limit never turns a valid redemption into a refused one) says nothing against any one of
   * its redemptions. Its rows are queued again, keeping the batch's hash: the next rounds send
   * them in halves, down to single `redeem` calls that are simulated on their own (see
   * groupIntoTransactions), so the valid ones land and only a refused one fails, with its reason.
   */
  private async requeueRevertedBatch(tx: InFlightTx, receipt: TransactionReceipt): Promise<void> {
    const lastError =
      `RedemptionBatchReverted(${tx.rows.length}): the batch reverted as a whole in block ` +
      `${receipt.blockNumber}; its redemptions go again in smaller batches`;
    await this.options.db
      .update(chainOutbox)
      .set({ status: 'queued', lastError })
      .where(
        and(
          inArray(
            chainOutbox.id,
            tx.rows.map((row) => row.id),
          ),
          inArray(chainOutbox.status, ['signed', 'sent']),
        ),
      );
    this.options.logger.warn(
      { txHash: tx.hash, rows: tx.rows.length, block: String(receipt.blockNumber) },
      'redemption batch reverted as a whole; split and sent again',
    );
  }

  private async settleRefused(
    row: ChainOutboxRow,
    receipt: TransactionReceipt,
    refusal: string,
    report: DrainReport,
  ): Promise<string> {
    const lastError = `${refusal} (refused on chain in block ${receipt.blockNumber})`.slice(0, 500);
    return this.markFailedAt(row, receipt, lastError, report, 'outbox row refused');
  }

  private async settleReverted(
    row: ChainOutboxRow,
    receipt: TransactionReceipt,
    report: DrainReport,
  ): Promise<string> {
    const lastError = await this.explainOnChainRevert(row, receipt);
    return this.markFailedAt(row, receipt, lastError, report, 'outbox row reverted');
  }

  /** A row the chain decided against in a mined block: failed, with the reason. */
  private async markFailedAt(
    row: ChainOutboxRow,
    receipt: TransactionReceipt,
    lastError: string,
    report: DrainReport,
    message: string,
  ): Promise<string> {
    await this.options.db
      .update(chainOutbox)
      .set({ status: 'failed', confirmedBlock: receipt.blockNumber, lastError })
      .where(and(eq(chainOutbox.id, row.id), inArray(chainOutbox.status, ['signed', 'sent'])));
    report.failed += 1;
    this.options.logger.warn({ outboxId: String(row.id), kind: row.kind, error: lastError }, message);
    return lastError;
  }

  /**
   * Best effort: replays the call on the state after its block to name the custom error;
   * the usual cause of a revert that simulation did not predict is a transaction mined
   * just before it.
   */
  private async explainOnChainRevert(row: ChainOutboxRow, receipt: TransactionReceipt): Promise<string> {
    try {
      const call = prepareCall(row, this.options.addresses, this.options.signers.placeholders);
      await this.rpc.simulateContract({
        address: call.to,
        abi: call.abi,
        functionName: call.functionName,
        args: call.args,
        account: receipt.from,
        blockNumber: receipt.blockNumber,
      } as never);
    } catch (error) {
      const revert = decodeRevert(error);
      if (revert) return `${revert.text} (reverted on chain in block ${receipt.blockNumber})`;
    }
    return `Reverted() on chain in block ${receipt.blockNumber}`;
  }

  private async fail(row: ChainOutboxRow, reason: string): Promise<FailOutcome> {
    const updated = await this.options.db
      .update(chainOutbox)
      .set({ status: 'failed', lastError: reason.slice(0, 500) })
      .where(and(eq(chainOutbox.id, row.id), eq(chainOutbox.status, row.status)))
      .returning({ id: chainOutbox.id });
    // Another instance moved the row on meanwhile (e.g. sent it, so our simulation saw its effect).
    if (updated.length === 0) return { kind: 'taken' };
    announceSettled([
      { id: row.id, status: 'failed', txHash: row.txHash, confirmedBlock: null, error: reason },
    ]);
    this.options.logger.warn(
      { outboxId: String(row.id), kind: row.kind, error: reason },
      'outbox row failed',
    );
    return { kind: 'failed' };
  }
}

type FeeFields = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { gasPrice: bigint };

class OutboxRowsTakenError extends Error {
  constructor() {
    super('outbox rows were signed by another instance first');
    this.name = 'OutboxRowsTakenError';
  }
}

interface SignedTx {
  signer: string;
  nonce: bigint;
  rawTx: Hex;
  hash: Hash;
  rows: ChainOutboxRow[];
}

/**
 * Stores signed transactions (inside the signer's locked transaction): each one's bytes once,
 * then its rows as 'signed' with its nonce and hash, in one statement each.
 */
async function storeSigned(tx: Transaction, signed: SignedTx[]): Promise<InFlightTx[]> {
  if (signed.length === 0) return [];
  const transactions = signed.map(({ hash, signer, nonce, rawTx }) => ({
    hash,
    signer,
    nonce,
    raw_tx: rawTx,
  }));
  const rows = signed.flatMap(({ rows, nonce, hash }) =>
    rows.map((row) => ({ id: row.id, nonce, tx_hash: hash })),
  );
  // Sent together; the database runs them in order, so the rows' foreign key finds the bytes.
  const [, updated] = await Promise.all([
    tx.execute(sql`
      INSERT INTO ${chainTransactions} (hash, signer, nonce, raw_tx)
      SELECT hash, signer, nonce, raw_tx
      FROM jsonb_to_recordset(${jsonRows(transactions)}) AS signed(hash text, signer text, nonce bigint, raw_tx text)
      ON CONFLICT (hash) DO NOTHING`),
    tx.execute(sql`
      UPDATE ${chainOutbox}
      SET status = 'signed', nonce = signed.nonce, tx_hash = signed.tx_hash, last_error = NULL
      FROM jsonb_to_recordset(${jsonRows(rows)}) AS signed(id bigint, nonce bigint, tx_hash text)
      WHERE ${chainOutbox.id} = signed.id AND ${chainOutbox.status} = 'queued'
      RETURNING ${chainOutbox.id}`),
  ]);
  const expected = signed.reduce((count, each) => count + each.rows.length, 0);
  if (executedRows(updated).length !== expected) throw new OutboxRowsTakenError();
  return signed.map(({ hash, nonce, rawTx, rows }) => ({
    hash,
    rawTx,
    rows: rows.map((row) => ({ ...row, status: 'signed' as const, nonce, txHash: hash, lastError: null })),
  }));
}

/**
 * The same node, with concurrent requests sent as one JSON-RPC batch: a drain makes hundreds
 * of small calls (simulations, broadcasts, receipts), and one HTTP round trip per call cost
 * more CPU than the calls themselves. Other transports are used as they are.
 */
function batchingClient(publicClient: ChainPublicClient, chain: Chain): ChainPublicClient {
  const transport = publicClient.transport as { type?: string; url?: string };
  if (transport.type !== 'http' || !transport.url) return publicClient;
  return createPublicClient({
    chain,
    transport: http(transport.url, {
      batch: { batchSize: 100, wait: 0 },
      retryCount: 2,
      timeout: 10_000,
      fetchFn: keepAliveFetch,
    }),
    cacheTime: 0,
  }) as ChainPublicClient;
}

type SettledListener = (outcomes: readonly OutboxOutcome[]) => void;
const settledListeners = new Set<SettledListener>();

/**
 * Calls `listener` with the outcome of the rows a sender of this process has just confirmed
 * or failed (after they are stored), so that callers waiting for them answer at once instead
 * of polling the table. Returns the unsubscribe function.
 */
export function onOutboxRowsSettled(listener: SettledListener): () => void {
  settledListeners.add(listener);
  return () => settledListeners.delete(listener);
}

function announceSettled(outcomes: readonly OutboxOutcome[]): void {
  for (const listener of settledListeners) listener(outcomes);
}

const RECEIPTS_REMEMBERED = 10_000;
const recentReceipts = new Map<Hash, TransactionReceipt>();

/** Keeps a settled receipt for a while, so whoever waited for the row need not fetch it again. */
function rememberReceipt(receipt: TransactionReceipt): void {
  recentReceipts.set(receipt.transactionHash, receipt);
  if (recentReceipts.size > RECEIPTS_REMEMBERED) {
    const oldest = recentReceipts.keys().next().value;
    if (oldest !== undefined) recentReceipts.delete(oldest);
  }
}

/** The receipt of a transaction this process's sender settled lately, if it still has it. */
export function settledReceipt(hash: Hash): TransactionReceipt | undefined {
  return recentReceipts.get(hash);
}

/** Rows grouped by the transaction they were signed into, in the order of their first row. */
function byTransaction(rows: readonly ChainOutboxRow[]): InFlightTx[] {
  const transactions = new Map<Hash, InFlightTx>();
  for (const row of rows) {
    const hash = row.txHash as Hash;
    const tx = transactions.get(hash);
    if (tx) tx.rows.push(row);
    else transactions.set(hash, { hash, rows: [row] });
  }
  return [...transactions.values()];
}

/** The rows before the first one that repeats an earlier row's exact call. */
function untilRepeatedCall(rows: ChainOutboxRow[]): ChainOutboxRow[] {
  const seen = new Set<string>();
  for (const [index, row] of rows.entries()) {
    const call = `${row.signer}|${row.contract}|${row.functionName}|${JSON.stringify(row.args)}`;
    if (seen.has(call)) return rows.slice(0, index);
    seen.add(call);
  }
  return rows;
}

/** Maps with at most `limit` calls running at once, keeping the input order in the result. */
async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
