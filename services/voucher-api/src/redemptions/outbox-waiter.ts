import { chainOutbox, type Database } from '@voucher/db';
import { and, inArray, sql } from 'drizzle-orm';
import type { ChainGateway } from '../chain/gateway.ts';
import { onOutboxRowsSettled } from '../chain/outbox-sender.ts';
import type { OutboxOutcome } from '../chain/wait-for-outbox.ts';

// This process's sender hands over the rows it settles as it settles them; the slow poll
// covers rows another instance settled and the waiters' timeouts.
const POLL_MS = 200;

interface Waiter {
  id: bigint;
  deadline: number;
  resolve(outcome: OutboxOutcome): void;
}

/**
 * Waits for many outbox rows with one query per tick instead of one per waiting request:
 * at a busy counter hundreds of redemptions wait at once, and polling each separately (or
 * all of them every few milliseconds) would spend the CPU on asking "done yet?".
 */
class CoalescedOutboxWaiter {
  private readonly waiters = new Set<Waiter>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly chain: ChainGateway,
  ) {}

  // Listens only while someone waits, so a gateway that is gone leaves no listener behind.
  private unsubscribe: (() => void) | undefined;

  /** Answers the waiters of rows this process's sender has just settled, without a query. */
  private settle(outcomes: readonly OutboxOutcome[]) {
    const byId = new Map(outcomes.map((outcome) => [outcome.id, outcome]));
    for (const waiter of this.waiters) {
      const outcome = byId.get(waiter.id);
      if (!outcome) continue;
      this.waiters.delete(waiter);
      waiter.resolve(outcome);
    }
    if (this.waiters.size === 0) this.stopListening();
  }

  private stopListening() {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  wait(id: bigint, timeoutMs: number): Promise<OutboxOutcome> {
    return new Promise((resolve) => {
      this.waiters.add({ id, deadline: Date.now() + timeoutMs, resolve });
      this.unsubscribe ??= onOutboxRowsSettled((outcomes) => this.settle(outcomes));
      // Wakes the sender loop (or drains once when no loop runs). Wakes during a drain add
      // up to one more drain, which picks up every row committed meanwhile.
      this.chain.outbox.wake();
      this.schedule();
    });
  }

  private schedule() {
    this.timer ??= setTimeout(() => void this.tick(), POLL_MS);
  }

  /** Looks up rows settled elsewhere (another instance) and ends the waits that timed out. */
  private async tick() {
    const waiting = [...this.waiters];
    try {
      const rows = await this.db
        .select({
          id: chainOutbox.id,
          status: chainOutbox.status,
          txHash: chainOutbox.txHash,
          confirmedBlock: chainOutbox.confirmedBlock,
          lastError: chainOutbox.lastError,
        })
        .from(chainOutbox)
        .where(
          and(
            // One text parameter instead of one per id: hundreds wait at a busy counter.
            sql`${chainOutbox.id} = ANY(string_to_array(${[...new Set(waiting.map((waiter) => waiter.id))].join(',')}, ',')::bigint[])`,
            inArray(chainOutbox.status, ['confirmed', 'failed']),
          ),
        );
      const byId = new Map(rows.map((row) => [row.id, row]));
      const now = Date.now();
      for (const waiter of waiting) {
        const row = byId.get(waiter.id);
        const settled = row?.status === 'confirmed' || row?.status === 'failed';
        if (!settled && now < waiter.deadline) continue;
        this.waiters.delete(waiter);
        waiter.resolve({
          id: waiter.id,
          status: settled ? (row.status as 'confirmed' | 'failed') : 'pending',
          txHash: row?.txHash ?? null,
          confirmedBlock: row?.confirmedBlock ?? null,
          error: row?.status === 'failed' ? row.lastError : null,
        });
      }
    } finally {
      this.timer = undefined;
      if (this.waiters.size > 0) {
        // Still waiting: a drain may have failed (without a loop nobody retries it), so ask
        // for another; with the loop running this only brings its next round forward.
        this.chain.outbox.wake();
        this.schedule();
      } else this.stopListening();
    }
  }
}

const waiters = new WeakMap<ChainGateway, CoalescedOutboxWaiter>();

export function waitForOutboxRow(db: Database, chain: ChainGateway, id: bigint, timeoutMs: number) {
  let waiter = waiters.get(chain);
  if (!waiter) {
    waiter = new CoalescedOutboxWaiter(db, chain);
    waiters.set(chain, waiter);
  }
  return waiter.wait(id, timeoutMs);
}
