import type { Hex } from 'viem';
import type { AccessClaims } from '../auth/claims.ts';
import type { ChainGateway } from '../chain/gateway.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import {
  type OfficerAction,
  officerActionDigest,
  officerChallenge,
  periodSubject,
  relaySigned,
  verifyOfficerSignature,
} from '../officer-signing/officer-signing.ts';
import type { StaffAssertion } from '../passkeys/verify-staff-assertion.ts';
import { catchUpIndex, readOpenPeriod, requireChain } from './chain-access.ts';
import { findClosedPeriod } from './chain-ledger.ts';

export interface ClosePeriodResult {
  status: 'closed' | 'pending';
  periodId: number;
  accruedOre: string | null;
  txHash: string | null;
}

function closeAction(municipalityId: number, periodId: number): OfficerAction {
  return { action: 'CLOSE_PERIOD', municipalityId, subject: periodSubject(periodId), amountOre: 0n };
}

async function assertOpen(chain: ChainGateway, municipalityId: number, periodId: number): Promise<void> {
  const open = await readOpenPeriod(chain, municipalityId);
  if (open.periodId !== periodId) {
    throw new AppError('PERIOD_NOT_OPEN', { periodId, openPeriodId: open.periodId });
  }
}

/** What the officer signs to close the open period: the period, a deadline and the digest. */
export async function closePeriodChallenge(
  deps: DomainDeps,
  params: { actor: AccessClaims; periodId: number },
): Promise<{ periodId: number; deadline: number; digest: Hex }> {
  const chain = requireChain(deps);
  const { municipalityId } = params.actor;
  await assertOpen(chain, municipalityId, params.periodId);
  return {
    periodId: params.periodId,
    ...(await officerChallenge(deps, chain, closeAction(municipalityId, params.periodId))),
  };
}

/**
 * Relays the finance officer's passkey signature closing the open period: the hub checks it
 * again (closePeriodSigned). The caller names the period they mean to close, so a double
 * click or two officers at once close it once and never the next one too. The idempotency key
 * is the municipality's period and the signed digest: the same signature sent again waits for
 * the same close. A close the chain refused is relayed again when asked again, under a fresh
 * key, even over the same digest (a challenge asked for in the same second, or the same one
 * signed again): the hub spent nothing of a refused signature. Only the officer's own
 * municipality's period is closed; others keep their own schedule.
 */
export async function closePeriod(
  deps: DomainDeps,
  params: { actor: AccessClaims; periodId: number; deadline: number; assertion: StaffAssertion },
): Promise<ClosePeriodResult> {
  const chain = requireChain(deps);
  const { municipalityId } = params.actor;
  const action = closeAction(municipalityId, params.periodId);
  const digest = await officerActionDigest(chain, action, params.deadline);
  const key = `municipality:${municipalityId}:period:${params.periodId}:close:${digest}`;
  // The same signature again (a double click) waits for the close it already asked for, unless
  // the chain refused that one: then this is a retry, relayed under the next attempt's key.
  const attempts = await deps.db.query.chainOutbox.findMany({
    columns: { id: true, status: true },
    where: (row, { like }) => like(row.idempotencyKey, `${key}:%`),
    orderBy: (row, { desc }) => desc(row.id),
  });
  const [latest] = attempts;
  let outboxId = latest?.status === 'failed' ? undefined : latest?.id;
  if (outboxId === undefined) {
    await assertOpen(chain, municipalityId, params.periodId);
    const signed = await verifyOfficerSignature(deps, chain, { ...params, action });
    outboxId = await deps.db.transaction((tx) =>
      relaySigned(tx, {
        actor: params.actor,
        signed,
        step: 'close',
        kind: 'period.close',
        functionName: 'closePeriodSigned',
        args: [String(municipalityId), String(params.periodId)],
        // Two retries at once share the next attempt's key, so they wait for one relay.
        idempotencyKey: attempts.length === 0 ? key : `${key}:retry-${attempts.length}`,
        audit: {
          municipalityId,
          action: 'period.close.signed',
          subjectType: 'period',
          subjectId: String(params.periodId),
        },
      }),
    );
  }
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
