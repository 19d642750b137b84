import {
  chainCursor,
  chainEvents,
  type Database,
  jsonRows,
  type NewChainEvent,
  type Transaction,
} from '@voucher/db';
import { and, desc, eq, gt, lte, sql } from 'drizzle-orm';
import { type Abi, BlockNotFoundError, decodeEventLog, type Hash, type Log } from 'viem';
import type { ChainPublicClient } from './clients.ts';
import type { ChainLogger } from './config.ts';
import { CONTRACT_ABIS, type ContractAddresses, type ContractName } from './intent-call.ts';
import { jsonSafe } from './json-safe.ts';

export interface EventIndexerOptions {
  db: Database;
  publicClient: ChainPublicClient;
  chainId: number;
  addresses: ContractAddresses;
  /** Nothing of ours exists before this block. */
  deployedAtBlock: bigint;
  /** Only blocks this deep under the head are indexed. */
  confirmations: number;
  logger: ChainLogger;
  /** Blocks per eth_getLogs request; nodes limit ranges and response sizes. */
  rangeSize?: bigint;
  cursorName?: string;
}

export interface IndexReport {
  /** Highest block indexed after this round. */
  cursorBlock: bigint;
  events: number;
  /** Set when a re-org was found: everything above this block was indexed again. */
  reorgAncestor?: bigint;
}

interface Cursor {
  blockNumber: bigint;
  blockHash: Hash;
}

const ANCESTOR_PAGE = 100;

/**
 * Indexes hub and eKrone events into chain_events up to (head − confirmations). The cursor
 * (last block and its hash) moves in the same transaction as the events it covers, by
 * compare-and-set, so several instances can run it and a crash never half-indexes a range.
 * When the cursor's block hash is no longer on the chain, the events above the newest
 * still-canonical block are deleted and indexed again.
 */
export class EventIndexer {
  private readonly rangeSize: bigint;
  private readonly cursorName: string;
  private running: Promise<IndexReport> | undefined;

  constructor(private readonly options: EventIndexerOptions) {
    this.rangeSize = options.rangeSize ?? 2000n;
    this.cursorName = options.cursorName ?? 'voucher-events';
  }

  /** Catches up to the safe head; concurrent calls share one run. */
  indexOnce(): Promise<IndexReport> {
    this.running ??= this.catchUp().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async catchUp(): Promise<IndexReport> {
    let cursor = await this.loadCursor();
    const report: IndexReport = { cursorBlock: cursor.blockNumber, events: 0 };
    if ((await this.hashAt(cursor.blockNumber)) !== cursor.blockHash) {
      cursor = await this.rewind(cursor);
      report.reorgAncestor = cursor.blockNumber;
    }
    const safeHead = (await this.options.publicClient.getBlockNumber()) - BigInt(this.options.confirmations);
    while (cursor.blockNumber < safeHead) {
      const toBlock = min(cursor.blockNumber + this.rangeSize, safeHead);
      const step = await this.indexRange(cursor, toBlock);
      if (!step) break; // the chain or another instance moved under us: next round re-checks
      cursor = step.cursor;
      report.events += step.events;
    }
    report.cursorBlock = cursor.blockNumber;
    return report;
  }

  private async loadCursor(): Promise<Cursor> {
    const [stored] = await this.options.db
      .select()
      .from(chainCursor)
      .where(eq(chainCursor.name, this.cursorName));
    if (stored) return { blockNumber: stored.blockNumber, blockHash: stored.blockHash as Hash };
    return this.deploymentStart();
  }

  private async hashAt(blockNumber: bigint): Promise<Hash | undefined> {
    try {
      return (await this.options.publicClient.getBlock({ blockNumber })).hash;
    } catch (error) {
      if (error instanceof BlockNotFoundError) return undefined;
      throw error;
    }
  }

  private async indexRange(
    cursor: Cursor,
    toBlock: bigint,
  ): Promise<{ cursor: Cursor; events: number } | undefined> {
    const { publicClient, addresses } = this.options;
    const fromBlock = cursor.blockNumber + 1n;
    const first = await publicClient.getBlock({ blockNumber: fromBlock });
    if (first.parentHash !== cursor.blockHash) return undefined;
    const toHash = toBlock === fromBlock ? first.hash : await this.hashAt(toBlock);
    const logs = await publicClient.getLogs({
      address: [addresses.hub, addresses.ekrone],
      fromBlock,
      toBlock,
    });
    // A re-org while we read would show as a different hash at either end of the range.
    if (!toHash || (await this.hashAt(toBlock)) !== toHash) return undefined;
    if (logs.some((log) => log.blockNumber === fromBlock && log.blockHash !== first.hash)) return undefined;
    const next: Cursor = { blockNumber: toBlock, blockHash: toHash };
    const rows = logs.map((log) => this.toRow(log));
    const moved = await this.options.db.transaction(async (tx) => {
      if (!(await this.moveCursor(tx, cursor, next))) return false;
      if (rows.length > 0) await insertEvents(tx, rows);
      return true;
    });
    if (moved && rows.length > 0) {
      this.options.logger.debug(
        { fromBlock: String(fromBlock), toBlock: String(toBlock), events: rows.length },
        'indexed',
      );
    }
    return moved ? { cursor: next, events: rows.length } : undefined;
  }

  /** Compare-and-set: only moves a cursor that still is where this instance read it. */
  private async moveCursor(tx: Transaction, expected: Cursor, next: Cursor): Promise<boolean> {
    const moved = await tx
      .insert(chainCursor)
      .values({ name: this.cursorName, blockNumber: next.blockNumber, blockHash: next.blockHash })
      .onConflictDoUpdate({
        target: chainCursor.name,
        set: { blockNumber: next.blockNumber, blockHash: next.blockHash, updatedAt: new Date() },
        setWhere: and(
          eq(chainCursor.blockNumber, expected.blockNumber),
          eq(chainCursor.blockHash, expected.blockHash),
        ),
      })
      .returning({ name: chainCursor.name });
    return moved.length > 0;
  }

  private toRow(log: Log<bigint, number, false>): NewChainEvent {
    const contract: ContractName =
      log.address.toLowerCase() === this.options.addresses.hub.toLowerCase() ? 'hub' : 'ekrone';
    const decoded = decodeLog(CONTRACT_ABIS[contract] as Abi, log);
    return {
      chainId: this.options.chainId,
      blockNumber: log.blockNumber,
      blockHash: log.blockHash.toLowerCase(),
      logIndex: log.logIndex,
      txHash: log.transactionHash.toLowerCase(),
      contract,
      eventName: decoded.eventName,
      args: decoded.args,
    };
  }

  /**
   * The newest block whose stored events still carry the chain's hash for that block is a
   * common ancestor (a block hash commits to all history before it). Without one, start
   * again from the deployment.
   */
  private async rewind(cursor: Cursor): Promise<Cursor> {
    const ancestor = (await this.findAncestor(cursor.blockNumber)) ?? (await this.deploymentStart());
    await this.options.db.transaction(async (tx) => {
      if (!(await this.moveCursor(tx, cursor, ancestor))) return;
      await tx.delete(chainEvents).where(gt(chainEvents.blockNumber, ancestor.blockNumber));
    });
    this.options.logger.warn(
      { fromBlock: String(cursor.blockNumber), ancestorBlock: String(ancestor.blockNumber) },
      'chain re-org: re-indexing events above the common ancestor',
    );
    return this.loadCursor();
  }

  private async findAncestor(below: bigint): Promise<Cursor | undefined> {
    let upper = below;
    for (;;) {
      const page = await this.options.db
        .selectDistinct({ blockNumber: chainEvents.blockNumber, blockHash: chainEvents.blockHash })
        .from(chainEvents)
        .where(lte(chainEvents.blockNumber, upper))
        .orderBy(desc(chainEvents.blockNumber))
        .limit(ANCESTOR_PAGE);
      for (const block of page) {
        if ((await this.hashAt(block.blockNumber)) === block.blockHash) {
          return { blockNumber: block.blockNumber, blockHash: block.blockHash as Hash };
        }
      }
      const last = page.at(-1);
      if (page.length < ANCESTOR_PAGE || !last) return undefined;
      upper = last.blockNumber - 1n;
    }
  }

  private async deploymentStart(): Promise<Cursor> {
    const blockNumber = this.options.deployedAtBlock > 0n ? this.options.deployedAtBlock - 1n : 0n;
    const hash = await this.hashAt(blockNumber);
    if (!hash) throw new Error(`block ${blockNumber} is not on the chain`);
    return { blockNumber, blockHash: hash };
  }
}

function decodeLog(abi: Abi, log: Log<bigint, number, false>): { eventName: string; args: unknown } {
  try {
    const decoded = decodeEventLog({ abi, data: log.data, topics: log.topics });
    return { eventName: decoded.eventName ?? 'Unknown', args: jsonSafe(decoded.args ?? {}) };
  } catch {
    // An event this ABI does not know (e.g. a newer contract version): kept raw, not lost.
    return { eventName: 'Unknown', args: { topics: log.topics, data: log.data } };
  }
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** The events of a range in one statement whose text does not depend on how many there are. */
async function insertEvents(tx: Transaction, events: NewChainEvent[]): Promise<void> {
  const rows = events.map((event) => ({
    chain_id: event.chainId,
    block_number: event.blockNumber,
    block_hash: event.blockHash,
    log_index: event.logIndex,
    tx_hash: event.txHash,
    contract: event.contract,
    event_name: event.eventName,
    args: event.args,
  }));
  await tx.execute(sql`
    INSERT INTO ${chainEvents} (chain_id, block_number, block_hash, log_index, tx_hash, contract, event_name, args)
    SELECT chain_id, block_number, block_hash, log_index, tx_hash, contract, event_name, args
    FROM jsonb_to_recordset(${jsonRows(rows)}) AS event(chain_id integer, block_number bigint, block_hash text,
      log_index integer, tx_hash text, contract text, event_name text, args jsonb)
    ON CONFLICT DO NOTHING`);
}
