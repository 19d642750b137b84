import {
  appendAudit,
  type DisputeReason,
  disputes,
  programs,
  redemptionReversals,
  redemptions,
} from '@voucher/db';
import { and, eq, sql } from 'drizzle-orm';
import { toHex } from 'viem';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import { isUniqueViolation } from '../db-errors.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { findCitizen } from '../privacy/find-citizen.ts';
import { accountOfCitizen } from '../privacy/read-citizen.ts';
import { type DisputeView, loadDisputeView } from './dispute-view.ts';

export interface RedemptionRef {
  terminal: string;
  redemptionId: bigint;
}

/** The citizen flags one of their own confirmed redemptions ("I did not buy this"). */
export async function raiseOwnDispute(
  deps: DomainDeps,
  params: { actor: AccessClaims; account: string; redemption: RedemptionRef; reason: DisputeReason },
): Promise<DisputeView> {
  return raiseDispute(deps, { ...params, raisedBy: 'citizen' });
}

/** A caseworker flags a redemption for a citizen of their own municipality (404 for any other). */
export async function raiseDisputeForCitizen(
  deps: DomainDeps,
  params: { actor: AccessClaims; citizenId: string; redemption: RedemptionRef; reason: DisputeReason },
): Promise<DisputeView> {
  const citizen = await findCitizen(deps, params.actor, params.citizenId);
  const account = await accountOfCitizen(deps, citizen);
  return raiseDispute(deps, {
    actor: params.actor,
    account: toHex(account.accountId),
    redemption: params.redemption,
    reason: params.reason,
    raisedBy: 'caseworker',
  });
}

/**
 * Records a dispute of a confirmed redemption of `account`. Someone else's redemption
 * answers 404 like a missing one; an unconfirmed, already given back or already disputed one
 * 409 with its own code. The dispute belongs to the program's municipality, whose
 * caseworkers decide it.
 */
async function raiseDispute(
  deps: DomainDeps,
  params: {
    actor: AccessClaims;
    account: string;
    redemption: RedemptionRef;
    reason: DisputeReason;
    raisedBy: 'citizen' | 'caseworker';
  },
): Promise<DisputeView> {
  const terminal = params.redemption.terminal.toLowerCase();
  const { redemptionId } = params.redemption;
  try {
    return await deps.db.transaction(async (tx) => {
      const [found] = await tx
        .select({ redemption: redemptions, municipalityId: programs.municipalityId })
        .from(redemptions)
        .innerJoin(programs, eq(programs.id, redemptions.programId))
        .where(and(eq(redemptions.terminal, terminal), eq(redemptions.redemptionId, redemptionId)));
      if (!found || found.redemption.account !== params.account.toLowerCase())
        throw new AppError('NOT_FOUND');
      const { redemption, municipalityId } = found;
      if (params.raisedBy === 'caseworker' && municipalityId !== params.actor.municipalityId) {
        throw new AppError('NOT_FOUND');
      }
      if (redemption.status !== 'confirmed') throw new AppError('DISPUTE_REDEMPTION_NOT_CONFIRMED');
      const [given] = await tx
        .select({ ore: sql<string>`coalesce(sum(${redemptionReversals.amountOre}), 0)::text` })
        .from(redemptionReversals)
        .where(
          and(
            eq(redemptionReversals.originalTerminal, terminal),
            eq(redemptionReversals.originalRedemptionId, redemptionId),
            eq(redemptionReversals.status, 'confirmed'),
          ),
        );
      if (BigInt(given?.ore ?? '0') >= redemption.amountOre)
        throw new AppError('DISPUTE_REDEMPTION_REVERSED');
      const open = await tx.query.disputes.findFirst({
        columns: { id: true },
        where: and(
          eq(disputes.terminal, terminal),
          eq(disputes.redemptionId, redemptionId),
          eq(disputes.status, 'open'),
        ),
      });
      if (open) throw new AppError('DISPUTE_ALREADY_OPEN', { disputeId: open.id });
      const [created] = await tx
        .insert(disputes)
        .values({
          municipalityId,
          terminal,
          redemptionId,
          providerId: redemption.providerId,
          account: redemption.account,
          raisedBy: params.raisedBy,
          raisedByStaff: params.raisedBy === 'caseworker' ? params.actor.sub : null,
          reason: params.reason,
          createdAt: deps.now(),
        })
        .returning();
      if (!created) throw new Error('dispute insert returned nothing');
      await appendAudit(tx, {
        // A citizen acts under their pseudonymous session; the audit log names no account.
        ...(params.raisedBy === 'citizen'
          ? { actorId: 'citizen', actorRole: 'citizen' }
          : auditActor(params.actor)),
        municipalityId,
        action: 'dispute.raised',
        subjectType: 'dispute',
        subjectId: created.id,
        details: {
          providerId: created.providerId,
          terminal,
          redemptionId: redemptionId.toString(),
          reason: params.reason,
          raisedBy: params.raisedBy,
        },
      });
      return loadDisputeView(tx, created.id);
    });
  } catch (error) {
    if (isUniqueViolation(error, 'disputes_one_open_per_redemption'))
      throw new AppError('DISPUTE_ALREADY_OPEN');
    throw error;
  }
}
