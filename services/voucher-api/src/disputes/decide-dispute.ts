import { appendAudit, disputes, redemptionReversals } from '@voucher/db';
import { and, eq } from 'drizzle-orm';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { type DisputeView, loadDisputeView } from './dispute-view.ts';
import { markDisputeRefunded } from './mark-dispute-refunded.ts';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type DisputeOutcome = 'upheld' | 'rejected';

/**
 * A caseworker of the dispute's municipality decides it: upheld (for the citizen) or
 * rejected. Only an open dispute can be decided, once; one the provider refunded meanwhile
 * is marked refunded and refused here. Another municipality's dispute answers 404.
 */
export async function decideDispute(
  deps: DomainDeps,
  params: { actor: AccessClaims; disputeId: string; outcome: DisputeOutcome },
): Promise<DisputeView> {
  if (!UUID_PATTERN.test(params.disputeId)) throw new AppError('NOT_FOUND');
  const refused = await deps.db.transaction(async (tx) => {
    const [dispute] = await tx.select().from(disputes).where(eq(disputes.id, params.disputeId)).for('update');
    if (!dispute || dispute.municipalityId !== params.actor.municipalityId) throw new AppError('NOT_FOUND');
    if (dispute.status !== 'open') return dispute.status;
    const refund = await tx.query.redemptionReversals.findFirst({
      columns: { reversalId: true },
      where: and(eq(redemptionReversals.disputeId, dispute.id), eq(redemptionReversals.status, 'confirmed')),
    });
    if (refund) {
      // The provider got there first: the dispute is settled by the refund, not by a decision.
      await markDisputeRefunded(tx, dispute.id);
      return 'refunded';
    }
    await tx
      .update(disputes)
      .set({ status: params.outcome, decidedBy: params.actor.sub, decidedAt: deps.now() })
      .where(eq(disputes.id, dispute.id));
    await appendAudit(tx, {
      ...auditActor(params.actor),
      municipalityId: dispute.municipalityId,
      action: 'dispute.decided',
      subjectType: 'dispute',
      subjectId: dispute.id,
      details: {
        outcome: params.outcome,
        providerId: dispute.providerId,
        terminal: dispute.terminal,
        redemptionId: dispute.redemptionId.toString(),
      },
    });
    return undefined;
  });
  if (refused) throw new AppError('DISPUTE_NOT_OPEN', { status: refused });
  return loadDisputeView(deps.db, params.disputeId);
}
