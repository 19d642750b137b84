import {
  type DisputeRaiser,
  type DisputeReason,
  type DisputeStatus,
  disputes,
  type Executor,
  programs,
  providers,
  redemptionReversals,
  redemptions,
} from '@voucher/db';
import { and, desc, eq, notExists, type SQL, sql } from 'drizzle-orm';

/**
 * A dispute as every party sees it: the redemption (terminal and id, provider, program,
 * amount, when), the reason code, who raised it and how it stands. No account, name, CPR
 * number or address: the provider may see this too. Money as decimal øre strings.
 */
export interface DisputeView {
  id: string;
  municipalityId: number;
  terminal: string;
  redemptionId: string;
  providerId: number;
  providerName: string;
  programId: string;
  programName: string;
  amountOre: string;
  redeemedAt: string;
  reason: DisputeReason;
  raisedBy: DisputeRaiser;
  /** An open dispute whose refund the chain confirmed reads as refunded. */
  status: DisputeStatus;
  /** Refunds confirmed on chain that name this dispute. */
  refundedOre: string;
  createdAt: string;
  decidedAt: string | null;
}

/** Confirmed refunds naming a dispute, summed. */
export const refundedOre = sql<string>`coalesce((
  SELECT sum(${redemptionReversals.amountOre}) FROM ${redemptionReversals}
  WHERE ${redemptionReversals.disputeId} = ${disputes.id} AND ${redemptionReversals.status} = 'confirmed'
), 0)::text`;

const confirmedRefundOf = (db: Executor) =>
  db
    .select({ one: sql`1` })
    .from(redemptionReversals)
    .where(and(eq(redemptionReversals.disputeId, disputes.id), eq(redemptionReversals.status, 'confirmed')));

/** Open as the parties see it: not decided, and no confirmed refund names it. */
export const effectivelyOpen = (db: Executor): SQL =>
  and(eq(disputes.status, 'open'), notExists(confirmedRefundOf(db))) as SQL;

export async function loadDisputeViews(db: Executor, where: SQL | undefined): Promise<DisputeView[]> {
  const rows = await db
    .select({
      dispute: disputes,
      amountOre: redemptions.amountOre,
      redeemedAt: redemptions.createdAt,
      programId: redemptions.programId,
      programName: programs.name,
      providerName: providers.name,
      refundedOre,
    })
    .from(disputes)
    .innerJoin(
      redemptions,
      and(eq(redemptions.terminal, disputes.terminal), eq(redemptions.redemptionId, disputes.redemptionId)),
    )
    .innerJoin(programs, eq(programs.id, redemptions.programId))
    .innerJoin(providers, eq(providers.id, disputes.providerId))
    .where(where)
    .orderBy(desc(disputes.createdAt), desc(disputes.id))
    .limit(500);
  return rows.map((row) => {
    const refunded = BigInt(row.refundedOre);
    const status = row.dispute.status === 'open' && refunded > 0n ? 'refunded' : row.dispute.status;
    return {
      id: row.dispute.id,
      municipalityId: row.dispute.municipalityId,
      terminal: row.dispute.terminal,
      redemptionId: row.dispute.redemptionId.toString(),
      providerId: row.dispute.providerId,
      providerName: row.providerName,
      programId: row.programId.toString(),
      programName: row.programName,
      amountOre: row.amountOre.toString(),
      redeemedAt: row.redeemedAt.toISOString(),
      reason: row.dispute.reason,
      raisedBy: row.dispute.raisedBy,
      status,
      refundedOre: refunded.toString(),
      createdAt: row.dispute.createdAt.toISOString(),
      decidedAt: row.dispute.decidedAt?.toISOString() ?? null,
    };
  });
}

export async function loadDisputeView(db: Executor, id: string): Promise<DisputeView> {
  const [view] = await loadDisputeViews(db, eq(disputes.id, id));
  if (!view) throw new Error(`dispute ${id} vanished`);
  return view;
}
