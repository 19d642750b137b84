import { chainCursor, chainOutbox, municipalities, redemptions } from '@voucher/db';
import { count, min, sql } from 'drizzle-orm';
import type { DomainDeps } from '../deps.ts';

export interface OperationalHealth {
  checkedAt: string;
  /** The health is read from the database, so an answer means it answered. */
  database: 'ok';
  chain: { status: 'ok' | 'unreachable' | 'not configured'; headBlock: string | null };
  outbox: { byStatus: Record<string, number>; oldestWaitingSeconds: number | null };
  indexers: { name: string; blockNumber: string; lagBlocks: string | null; updatedAt: string }[];
  redemptionsPending: number;
  municipalities: { id: number; name: string }[];
}

/**
 * What the platform operator watches: is the chain reachable and how far behind is each
 * indexer, how deep are the queues, which municipalities exist. Counts over the whole
 * service only: no person, no municipality's money, nothing per citizen.
 */
export async function operationalHealth(deps: DomainDeps): Promise<OperationalHealth> {
  const now = deps.now();
  const head = await chainHead(deps);
  const [outbox, waiting, cursors, pending, tenants] = await Promise.all([
    deps.db.select({ status: chainOutbox.status, n: count() }).from(chainOutbox).groupBy(chainOutbox.status),
    deps.db
      .select({ oldest: min(chainOutbox.createdAt) })
      .from(chainOutbox)
      .where(sql`${chainOutbox.status} IN ('queued', 'signed', 'sent')`),
    deps.db.select().from(chainCursor).orderBy(chainCursor.name),
    deps.db.select({ n: count() }).from(redemptions).where(sql`${redemptions.status} = 'pending'`),
    deps.db
      .select({ id: municipalities.id, name: municipalities.name })
      .from(municipalities)
      .orderBy(municipalities.id),
  ]);
  const oldest = waiting[0]?.oldest;
  return {
    checkedAt: now.toISOString(),
    database: 'ok',
    chain: head,
    outbox: {
      byStatus: Object.fromEntries(outbox.map((row) => [row.status, row.n])),
      oldestWaitingSeconds: oldest
        ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000))
        : null,
    },
    indexers: cursors.map((cursor) => ({
      name: cursor.name,
      blockNumber: cursor.blockNumber.toString(),
      lagBlocks: head.headBlock === null ? null : (BigInt(head.headBlock) - cursor.blockNumber).toString(),
      updatedAt: cursor.updatedAt.toISOString(),
    })),
    redemptionsPending: pending[0]?.n ?? 0,
    municipalities: tenants,
  };
}

async function chainHead(deps: DomainDeps): Promise<OperationalHealth['chain']> {
  if (!deps.chain) return { status: 'not configured', headBlock: null };
  try {
    const block = await deps.chain.publicClient.getBlockNumber();
    return { status: 'ok', headBlock: block.toString() };
  } catch {
    return { status: 'unreachable', headBlock: null };
  }
}
