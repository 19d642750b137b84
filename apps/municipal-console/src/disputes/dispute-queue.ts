import type { DisputeView } from '../api/types.ts';

/**
 * The caseworkers' queue: open disputes first, the oldest at the top (it has waited longest),
 * then the decided ones, the latest first.
 */
export function queueOrder(disputes: readonly DisputeView[]): DisputeView[] {
  const open = disputes.filter((dispute) => dispute.status === 'open');
  const closed = disputes.filter((dispute) => dispute.status !== 'open');
  open.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  closed.sort((a, b) => (b.decidedAt ?? b.createdAt).localeCompare(a.decidedAt ?? a.createdAt));
  return [...open, ...closed];
}

/** Only a caseworker decides, and only while the dispute is open; finance reads. */
export function canDecide(role: string | undefined, dispute: DisputeView): boolean {
  return role === 'caseworker' && dispute.status === 'open';
}

/** What the provider has not given back yet of the disputed redemption. */
export function outstandingOre(dispute: DisputeView): bigint {
  const left = BigInt(dispute.amountOre) - BigInt(dispute.refundedOre);
  return left > 0n ? left : 0n;
}
