import { createHash } from 'node:crypto';
import {
  appendAudit,
  disputes,
  type RedemptionReversal,
  type ReversalKind,
  type ReversalReason,
  redemptionReversals,
  type Transaction,
} from '@voucher/db';
import { and, eq, sql } from 'drizzle-orm';
import type { Hex } from 'viem';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { ChainGateway } from '../chain/gateway.ts';
import { isUniqueViolation } from '../db-errors.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { readOpenPeriod } from '../periods/chain-access.ts';
import { awaitOutcome } from '../redemptions/finalize.ts';
import { type ReversalFacts, reversalFacts, reversibleOre } from './reversal-facts.ts';
import { enqueueReversal } from './reversal-intent.ts';
import { awaitReversalOutcome } from './reversal-outcome.ts';
import { type ReversalTerms, recoverReversalSigner, signedOriginal } from './reversal-signature.ts';

export interface ReverseRequest {
  /** The redemption given back: its terminal and id. */
  originalTerminal: string;
  originalRedemptionId: bigint;
  /** The provider's terminal that signed the reversal, and the fresh id it used. */
  terminal: string;
  reversalId: bigint;
  kind: ReversalKind;
  reason: ReversalReason;
  amountOre: bigint;
  /** A void names the original's period; a refund names 0. */
  period: number;
  deadline: number;
  signature: Hex;
  disputeId?: string;
}

// Distinguishes the per-redemption reversal lock from other users of pg_advisory_*.
const REVERSAL_LOCK_NAMESPACE = 0x7e7e;

/**
 * Gives back (part of) a confirmed redemption with a terminal-signed reversal: a void at the
 * counter (the whole amount, in the period it landed in, while that period is open) or a refund
 * later (any part, in whichever period is open). Every rule the hub enforces is checked first,
 * so a refusal is a 4xx that changed nothing. An accepted request becomes a pending row and an
 * outbox intent in one transaction; then it waits up to `redemptionWaitMs` for the chain, which
 * stays the final judge (a period closed meanwhile refuses a void there). The same request
 * again gets the same answer, also when two arrive at once.
 */
export async function reverseRedemption(
  deps: DomainDeps,
  actor: AccessClaims,
  request: ReverseRequest,
): Promise<RedemptionReversal> {
  const chain = deps.chain;
  if (!chain) throw new AppError('CHAIN_UNAVAILABLE');
  const normalized = {
    ...request,
    originalTerminal: request.originalTerminal.toLowerCase(),
    terminal: request.terminal.toLowerCase(),
    disputeId: request.disputeId?.toLowerCase(),
  };
  const payloadHash = hashPayload(normalized);
  const facts = await reversalFacts(deps, normalized);
  // Another provider's redemption answers exactly like a missing one.
  if (!facts || facts.original.providerId !== actor.providerId) throw new AppError('NOT_FOUND');
  if (facts.earlier) return repeat(deps, actor, facts.earlier, payloadHash);

  await checkRequest(deps, chain, facts, normalized);
  const accepted = await accept(deps, actor, { request: normalized, facts, payloadHash });
  if ('repeated' in accepted) return repeat(deps, actor, accepted.repeated, payloadHash);
  return awaitReversalOutcome(deps, accepted.row, deps.config.redemptionWaitMs);
}

/**
 * Stores the reversal as pending. The same id stored first by a request for another
 * redemption (which holds another lock) breaks the key: answered like a repeat, which
 * refuses it as a reused id.
 */
async function accept(deps: DomainDeps, actor: AccessClaims, acceptance: Acceptance) {
  try {
    return await deps.db.transaction((tx) => storePending(tx, deps.now(), actor, acceptance));
  } catch (error) {
    if (!isUniqueViolation(error, 'redemption_reversals_pkey')) throw error;
    const winner = await reversalFacts(deps, acceptance.request);
    if (!winner?.earlier) throw error;
    return { repeated: winner.earlier };
  }
}

/** Same id and same payload: the first result (waiting again if still pending). Else 422. */
async function repeat(deps: DomainDeps, actor: AccessClaims, row: RedemptionReversal, payloadHash: Buffer) {
  if (row.providerId !== actor.providerId || !row.payloadHash.equals(payloadHash)) {
    throw new AppError('REVERSAL_ID_REUSED');
  }
  return awaitReversalOutcome(deps, row, deps.config.redemptionWaitMs);
}

/**
 * The rules in the order a refusal is reported: the original's state, the signing terminal,
 * what the kind demands of the period, the deadline, the signature, the id, the amount, and
 * last (it asks the chain) whether a void's period is still open.
 */
async function checkRequest(
  deps: DomainDeps,
  chain: ChainGateway,
  facts: ReversalFacts,
  request: ReverseRequest,
) {
  await checkOriginalConfirmed(deps, facts);
  const { original, signingTerminal } = facts;
  if (!signingTerminal || signingTerminal.providerId !== original.providerId)
    throw new AppError('TERMINAL_UNKNOWN');
  if (signingTerminal.status !== 'active') throw new AppError('TERMINAL_REVOKED');
  const expectedPeriod = request.kind === 'void' ? Number(original.periodId) : 0;
  if (request.period !== expectedPeriod) {
    throw new AppError('REVERSAL_PERIOD_INVALID', { kind: request.kind, expectedPeriod });
  }
  if (request.deadline <= Math.floor(deps.now().getTime() / 1000))
    throw new AppError('REVERSAL_DEADLINE_PASSED');
  const signer = await recoverReversalSigner(
    { chainId: chain.chainId, hub: chain.addresses.hub },
    signedOriginal(original),
    termsOf(request),
    request.signature,
  );
  if (signer !== request.terminal) throw new AppError('REVERSAL_SIGNATURE_INVALID');
  if (facts.idUsedByRedemption) throw new AppError('REVERSAL_ID_USED');
  checkAmount(request, reversibleOre(original, facts.heldOre));
  if (request.disputeId !== undefined) await checkDispute(deps, facts, request.disputeId);
  if (request.kind === 'void') {
    const open = await readOpenPeriod(chain, facts.municipalityId);
    if (BigInt(open.periodId) !== original.periodId) {
      throw new AppError('REVERSAL_PERIOD_CLOSED', {
        periodId: Number(original.periodId),
        openPeriodId: open.periodId,
      });
    }
  }
}

/** A pending original may have settled meanwhile: its verdict is recorded before judging. */
async function checkOriginalConfirmed(deps: DomainDeps, facts: ReversalFacts) {
  if (facts.original.status === 'pending') facts.original = await awaitOutcome(deps, facts.original, 0);
  if (facts.original.status === 'pending') throw new AppError('REVERSAL_ORIGINAL_PENDING');
  if (facts.original.status === 'rejected') throw new AppError('REVERSAL_ORIGINAL_REJECTED');
}

/** A refund gives back any part still left; a void gives back the whole of it. */
function checkAmount(request: Pick<ReverseRequest, 'kind' | 'amountOre'>, reversible: bigint) {
  if (request.amountOre > reversible) {
    throw new AppError('REVERSAL_EXCEEDS_REDEMPTION', { reversibleOre: reversible.toString() });
  }
  if (request.kind === 'void' && request.amountOre !== reversible) {
    throw new AppError('REVERSAL_VOID_NOT_WHOLE', { reversibleOre: reversible.toString() });
  }
}

/** A refund that settles a dispute must name a dispute about this very redemption. */
async function checkDispute(deps: DomainDeps, facts: ReversalFacts, disputeId: string) {
  const [dispute] = await deps.db
    .select({ id: disputes.id })
    .from(disputes)
    .where(
      and(
        eq(disputes.id, disputeId),
        eq(disputes.terminal, facts.original.terminal),
        eq(disputes.redemptionId, facts.original.redemptionId),
      ),
    );
  if (!dispute) throw new AppError('REVERSAL_DISPUTE_MISMATCH');
}

function termsOf(request: ReverseRequest): ReversalTerms {
  return {
    id: request.reversalId,
    amountOre: request.amountOre,
    period: request.period,
    deadline: request.deadline,
  };
}

interface Acceptance {
  request: ReverseRequest;
  facts: ReversalFacts;
  payloadHash: Buffer;
}

/**
 * Under the original redemption's lock: an earlier reversal with this id (a retry racing
 * itself) is answered as a repeat; otherwise the amount is judged again against the reversals
 * stored meanwhile (two refunds at once), and the pending row, its outbox intent and the audit
 * entry are written together.
 */
async function storePending(
  tx: Transaction,
  now: Date,
  actor: AccessClaims,
  { request, facts, payloadHash }: Acceptance,
): Promise<{ row: RedemptionReversal } | { repeated: RedemptionReversal }> {
  const { original } = facts;
  await tx.execute(
    sql`SELECT pg_advisory_xact_lock(${REVERSAL_LOCK_NAMESPACE}, hashtext(${`${original.terminal}:${original.redemptionId}`}))`,
  );
  const current = await reversalFacts({ db: tx as never }, request);
  if (!current) throw new Error('a confirmed redemption is gone');
  if (current.earlier) return { repeated: current.earlier };
  checkAmount(request, reversibleOre(original, current.heldOre));

  const outboxId = await enqueueReversal(tx, { request, original });
  const [row] = await tx
    .insert(redemptionReversals)
    .values({
      terminal: request.terminal,
      reversalId: request.reversalId,
      originalTerminal: original.terminal,
      originalRedemptionId: original.redemptionId,
      municipalityId: facts.municipalityId,
      providerId: original.providerId,
      programId: original.programId,
      account: original.account,
      kind: request.kind,
      reason: request.reason,
      amountOre: request.amountOre,
      requiredPeriodId: request.kind === 'void' ? original.periodId : null,
      deadline: BigInt(request.deadline),
      signature: request.signature.toLowerCase(),
      payloadHash,
      disputeId: request.disputeId ?? null,
      outboxId,
      createdBy: UUID.test(actor.sub) ? actor.sub : null,
      createdAt: now,
    })
    .returning();
  if (!row) throw new Error('a reversal row was not stored');
  await appendAudit(tx, {
    ...auditActor(actor),
    municipalityId: facts.municipalityId,
    action: 'reversal.requested',
    subjectType: 'reversal',
    subjectId: `${row.terminal}:${row.reversalId}`,
    // Ids, amounts and codes only: the account stays out of the audit log.
    details: {
      kind: row.kind,
      reason: row.reason,
      amountOre: row.amountOre.toString(),
      originalTerminal: row.originalTerminal,
      originalRedemptionId: row.originalRedemptionId.toString(),
      providerId: row.providerId,
      programId: row.programId.toString(),
      requiredPeriodId: row.requiredPeriodId?.toString() ?? null,
      disputeId: row.disputeId,
    },
  });
  return { row };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What makes two requests "the same reversal"; the signature is left out (it only proves it). */
function hashPayload(request: ReverseRequest): Buffer {
  const canonical = [
    request.originalTerminal,
    request.originalRedemptionId.toString(),
    request.terminal,
    request.reversalId.toString(),
    request.kind,
    request.reason,
    request.amountOre.toString(),
    String(request.period),
    String(request.deadline),
    request.disputeId ?? '',
  ].join('|');
  return createHash('sha256').update(canonical).digest();
}
