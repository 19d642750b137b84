import { appendAudit } from '@voucher/db';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { enqueueChainWrite } from '../outbox/enqueue.ts';
import { catchUpIndex, readOpenPeriod, requireChain } from './chain-access.ts';
import { findClosedPeriod } from './chain-ledger.ts';

export interface ClosePeriodResult {
  status: 'closed' | 'pending';
  periodId: number;
  accruedOre: string | null;
  txHash: string | null;
}

/**
 * Closes the open period on chain, signed by the finance officer's own key. The caller
 * names the period they mean to close, so a double click or two officers at once close it
 * once and never the next one too: the idempotency key is the municipality's period. Only
 * the officer's own municipality's period is closed; others keep their own schedule.
 */
export async function closePeriod(
  deps: DomainDeps,
  params: { actor: AccessClaims; periodId: number },
): Promise<ClosePeriodResult> {
  const chain = requireChain(deps);
  const { municipalityId } = params.actor;
  const key = `municipality:${municipalityId}:period:${params.periodId}:close`;
  const existing = await deps.db.query.chainOutbox.findFirst({
    where: (row, { eq }) => eq(row.idempotencyKey, key),
  });
  if (!existing) {
    const open = await readOpenPeriod(chain, municipalityId);
    if (open.periodId !== params.periodId) {
      throw new AppError('PERIOD_NOT_OPEN', { periodId: params.periodId, openPeriodId: open.periodId });
    }
  }
  const outboxId =
    existing?.id ??
    (await deps.db.transaction(async (tx) => {
      const id = await enqueueChainWrite(tx, {
        kind: 'period.close',
        contract: 'hub',
        functionName: 'closePeriod',
        args: [String(municipalityId)],
        signer: params.actor.sub,
        idempotencyKey: key,
      });
      await appendAudit(tx, {
        ...auditActor(params.actor),
        municipalityId,
        action: 'period.close.requested',
        subjectType: 'period',
        subjectId: String(params.periodId),
        details: {},
      });
      return id;
    }));
  const outcome = await chain.outbox.waitFor(outboxId, deps.config.settlement.waitMs);
  if (outcome.status === 'failed') throw new AppError('PERIOD_CLOSE_FAILED', { reason: outcome.error });
  if (outcome.status === 'pending')
    return { status: 'pending', periodId: params.periodId, accruedOre: null, txHash: outcome.txHash };
  await catchUpIndex(chain);
  const closed = await findClosedPeriod(deps.db, { municipalityId, periodId: params.periodId });
  return {
    status: 'closed',
    periodId: params.periodId,
    accruedOre: closed?.accruedOre.toString() ?? null,
    txHash: outcome.txHash,
  };
}
