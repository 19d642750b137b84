import { chainOutbox, type Database } from '@voucher/db';
import { eq } from 'drizzle-orm';

export interface OutboxOutcome {
  id: bigint;
  /** 'pending' when the timeout passed first: the row is still on its way, nothing is lost. */
  status: 'confirmed' | 'failed' | 'pending';
  txHash: string | null;
  confirmedBlock: bigint | null;
  /** The decoded custom error for a failed row, e.g. `GrantAlreadyExists(...)`. */
  error: string | null;
}

const POLL_MS = 25;
/**
 * How often a waiter nudges the sender again. One round may end with the transaction not yet
 * mined or an RPC call failed; without a running loop (scripts, tests) nothing else would
 * come back for it, and the waiter would sit out its whole timeout.
 */
const NUDGE_EVERY_MS = 250;

/**
 * Lets a route answer once the chain accepted (or refused) its write. Wakes the sender so a
 * lone request does not wait out the loop interval.
 */
export async function waitForOutbox(
  db: Database,
  id: bigint,
  timeoutMs: number,
  wakeSender: () => void,
): Promise<OutboxOutcome> {
  const deadline = Date.now() + timeoutMs;
  let nudgedAt = Date.now();
  wakeSender();
  for (;;) {
    const [row] = await db
      .select({
        status: chainOutbox.status,
        txHash: chainOutbox.txHash,
        confirmedBlock: chainOutbox.confirmedBlock,
        lastError: chainOutbox.lastError,
      })
      .from(chainOutbox)
      .where(eq(chainOutbox.id, id));
    if (!row) throw new Error(`outbox row ${id} does not exist`);
    const settled = row.status === 'confirmed' || row.status === 'failed';
    if (settled || Date.now() >= deadline) {
      return {
        id,
        status: settled ? (row.status as 'confirmed' | 'failed') : 'pending',
        txHash: row.txHash,
        confirmedBlock: row.confirmedBlock,
        error: row.status === 'failed' ? row.lastError : null,
      };
    }
    if (Date.now() - nudgedAt >= NUDGE_EVERY_MS) {
      nudgedAt = Date.now();
      wakeSender();
    }
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))),
    );
  }
}
