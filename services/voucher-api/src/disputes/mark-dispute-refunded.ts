import { appendAudit, disputes, redemptionReversals, type Transaction } from '@voucher/db';
import { and, eq, sql } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../audit/actor.ts';

/**
 * The provider refunded the disputed redemption: called in the transaction that marks a
 * refund naming `disputeId` confirmed (the chain's RedemptionReversed), after that row is
 * confirmed. An open dispute becomes `refunded`; a decided or already refunded one stays as
 * it is (a decision is final). Returns whether the dispute changed. Audited with the amount
 * refunded so far under the dispute, never who the citizen is.
 */
export async function markDisputeRefunded(tx: Transaction, disputeId: string): Promise<boolean> {
  const [updated] = await tx
    .update(disputes)
    .set({ status: 'refunded' })
    .where(and(eq(disputes.id, disputeId), eq(disputes.status, 'open')))
    .returning();
  if (!updated) return false;
  const [refunded] = await tx
    .select({ ore: sql<string>`coalesce(sum(${redemptionReversals.amountOre}), 0)::text` })
    .from(redemptionReversals)
    .where(and(eq(redemptionReversals.disputeId, disputeId), eq(redemptionReversals.status, 'confirmed')));
  await appendAudit(tx, {
    ...SYSTEM_ACTOR,
    municipalityId: updated.municipalityId,
    action: 'dispute.refunded',
    subjectType: 'dispute',
    subjectId: disputeId,
    details: {
      providerId: updated.providerId,
      terminal: updated.terminal,
      redemptionId: updated.redemptionId.toString(),
      refundedOre: refunded?.ore ?? '0',
    },
  });
  return true;
}
