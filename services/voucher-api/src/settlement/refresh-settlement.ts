import {
  appendAudit,
  chainOutbox,
  type Executor,
  type Settlement,
  settlementPayouts,
  settlements,
  type Transaction,
} from '@voucher/db';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../audit/actor.ts';
import { offsetsInPeriod, paymentsInPeriod } from '../periods/chain-ledger.ts';
import { chainErrorName } from './settlement-view.ts';

type OutboxState = { status: string; txHash: string | null; lastError: string | null };

async function outboxStates(db: Executor, ids: bigint[]): Promise<Map<bigint, OutboxState>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      id: chainOutbox.id,
      status: chainOutbox.status,
      txHash: chainOutbox.txHash,
      lastError: chainOutbox.lastError,
    })
    .from(chainOutbox)
    .where(inArray(chainOutbox.id, ids));
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Moves a settlement on by what its chain writes became: a confirmed proposal is
 * 'proposed', a refused one 'rejected'; a refused approval goes back to 'proposed' for
 * another officer; confirmed payout chunks mark their providers paid, refused chunks free
 * their providers for the next execution round. Runs under the settlement's row lock, so
 * the state is derived from the durable outbox no matter when the process died.
 */
export async function refreshSettlement(
  tx: Transaction,
  settlement: Settlement,
  now: Date,
): Promise<Settlement> {
  const step = await nextState(tx, settlement, now);
  if (settlement.status === 'executing' || settlement.status === 'paid') {
    await followPayoutEvents(tx, settlement);
  }
  if (!step) return settlement;
  const [updated] = await tx
    .update(settlements)
    .set(step)
    .where(eq(settlements.id, settlement.id))
    .returning();
  if (!updated) throw new Error('settlement update returned nothing');
  if (updated.status !== settlement.status) {
    await appendAudit(tx, {
      ...SYSTEM_ACTOR,
      municipalityId: updated.municipalityId,
      action: `settlement.${updated.status}`,
      subjectType: 'settlement',
      subjectId: updated.id.toString(),
      details: { periodId: updated.periodId, from: settlement.status, chainError: updated.chainError },
    });
  }
  return updated;
}

/**
 * A paid line takes its amounts from the chain's events once they are indexed: what the
 * payout kept against the provider's receivable (ReceivableOffset) and what it transferred
 * (ProviderPaid). They differ from the proposal when the receivable changed in between (a
 * refund beyond a claim in the open period raises it, the treasury's settlement lowers it).
 * The claim itself cannot change once its period is closed; events that do not add up to it
 * are left to reconciliation, never written.
 */
async function followPayoutEvents(tx: Transaction, settlement: Settlement): Promise<void> {
  const ref = { municipalityId: settlement.municipalityId, periodId: settlement.periodId };
  const payments = await paymentsInPeriod(tx, ref);
  if (payments.length === 0) return;
  const offsets = new Map<number, bigint>();
  for (const offset of await offsetsInPeriod(tx, ref)) {
    offsets.set(offset.providerId, (offsets.get(offset.providerId) ?? 0n) + offset.amountOre);
  }
  const paid = new Map(payments.map((payment) => [payment.providerId, payment]));
  const lines = await tx
    .select()
    .from(settlementPayouts)
    .where(and(eq(settlementPayouts.settlementId, settlement.id), eq(settlementPayouts.status, 'paid')));
  for (const line of lines) {
    const payment = paid.get(line.providerId);
    if (!payment) continue;
    const offsetOre = offsets.get(line.providerId) ?? 0n;
    const same = line.amountOre === payment.amountOre && line.offsetOre === offsetOre;
    if (same || payment.amountOre + offsetOre !== line.claimOre) continue;
    await tx
      .update(settlementPayouts)
      .set({ offsetOre, amountOre: payment.amountOre, paidTxHash: payment.txHash })
      .where(
        and(
          eq(settlementPayouts.settlementId, settlement.id),
          eq(settlementPayouts.providerId, line.providerId),
        ),
      );
    await appendAudit(tx, {
      ...SYSTEM_ACTOR,
      municipalityId: settlement.municipalityId,
      action: 'settlement.payout.followed_chain',
      subjectType: 'settlement',
      subjectId: settlement.id.toString(),
      details: {
        periodId: settlement.periodId,
        providerId: line.providerId,
        proposedOffsetOre: line.offsetOre.toString(),
        offsetOre: offsetOre.toString(),
        amountOre: payment.amountOre.toString(),
      },
    });
  }
}

async function nextState(
  tx: Executor,
  settlement: Settlement,
  now: Date,
): Promise<Partial<Settlement> | undefined> {
  switch (settlement.status) {
    case 'proposing':
      return stepOutcome(tx, settlement.proposeOutboxId, {
        confirmed: { status: 'proposed', chainError: null },
        failed: (error) => ({ status: 'rejected', chainError: chainErrorName(error) }),
      });
    case 'approving':
      return stepOutcome(tx, settlement.approveOutboxId, {
        // The contract settles an empty period the moment it is approved.
        confirmed:
          settlement.totalOre === 0n
            ? { status: 'paid', paidAt: now, chainError: null }
            : { status: 'approved', chainError: null },
        failed: (error) => ({
          status: 'proposed',
          approvedBy: null,
          approvedAt: null,
          chainError: chainErrorName(error),
        }),
      });
    case 'executing':
      return refreshPayouts(tx, settlement, now);
    default:
      return undefined;
  }
}

async function stepOutcome(
  tx: Executor,
  outboxId: bigint | null,
  outcomes: { confirmed: Partial<Settlement>; failed: (error: string | null) => Partial<Settlement> },
): Promise<Partial<Settlement> | undefined> {
  if (outboxId === null) return undefined;
  const state = (await outboxStates(tx, [outboxId])).get(outboxId);
  if (state?.status === 'confirmed') return outcomes.confirmed;
  if (state?.status === 'failed') return outcomes.failed(state.lastError);
  return undefined;
}

async function refreshPayouts(
  tx: Executor,
  settlement: Settlement,
  now: Date,
): Promise<Partial<Settlement> | undefined> {
  const inFlight = await tx
    .select({ providerId: settlementPayouts.providerId, outboxId: settlementPayouts.outboxId })
    .from(settlementPayouts)
    .where(
      and(
        eq(settlementPayouts.settlementId, settlement.id),
        eq(settlementPayouts.status, 'pending'),
        isNotNull(settlementPayouts.outboxId),
      ),
    );
  const states = await outboxStates(tx, [...new Set(inFlight.map((row) => row.outboxId as bigint))]);
  let lastError: string | null = null;
  for (const [outboxId, state] of states) {
    const inChunk = and(
      eq(settlementPayouts.settlementId, settlement.id),
      eq(settlementPayouts.outboxId, outboxId),
    );
    if (state.status === 'confirmed') {
      await tx
        .update(settlementPayouts)
        .set({ status: 'paid', paidTxHash: state.txHash, paidAt: now })
        .where(inChunk);
    } else if (state.status === 'failed') {
      // Nobody in a reverted chunk was paid; the next execution round chunks them again.
      await tx.update(settlementPayouts).set({ outboxId: null }).where(inChunk);
      lastError = chainErrorName(state.lastError);
    }
  }
  const pending = await tx
    .select({ providerId: settlementPayouts.providerId })
    .from(settlementPayouts)
    .where(and(eq(settlementPayouts.settlementId, settlement.id), eq(settlementPayouts.status, 'pending')))
    .limit(1);
  if (pending.length === 0) return { status: 'paid', paidAt: now, chainError: null };
  return lastError ? { chainError: lastError } : undefined;
}
