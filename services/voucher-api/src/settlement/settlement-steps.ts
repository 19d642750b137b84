import {
  appendAudit,
  type Executor,
  providers,
  type Settlement,
  settlementPayouts,
  settlements,
  staffUsers,
} from '@voucher/db';
import { and, asc, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Hex } from 'viem';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { ChainGateway } from '../chain/gateway.ts';
import { isUniqueViolation } from '../db-errors.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import {
  type OfficerAction,
  type OfficerSigned,
  officerChallenge,
  periodSubject,
  relaySigned,
  verifyOfficerSignature,
} from '../officer-signing/officer-signing.ts';
import { officerSignatures } from '../officer-signing/signatures.ts';
import { enqueueChainWrite } from '../outbox/enqueue.ts';
import type { StaffAssertion } from '../passkeys/verify-staff-assertion.ts';
import { catchUpIndex, readClaimPaid, readReceivable, requireChain } from '../periods/chain-access.ts';
import { findClosedPeriod, type PeriodRef, paymentsInPeriod } from '../periods/chain-ledger.ts';
import { type ReconciliationReport, reconcilePeriod } from '../reconciliation/reconcile-period.ts';
import { findSettlement, payoutsOf } from './find-settlement.ts';
import { refreshSettlement } from './refresh-settlement.ts';
import { endToEndId, type SettlementView, toSettlementView } from './settlement-view.ts';

/** A proposal blocked by reconciliation: answered 409 with the whole report. */
export class ReconciliationMismatchError extends AppError {
  constructor(readonly report: ReconciliationReport) {
    super('SETTLEMENT_RECONCILIATION_MISMATCH', {
      periodId: report.periodId,
      differences: report.differences.length,
    });
  }
}

export interface SettlementOutcome {
  /** False when the chain has not answered within the wait: the client polls GET. */
  settled: boolean;
  settlement: SettlementView;
}

/**
 * A period is proposed for payment only once it is closed, has no live settlement, and the
 * database's redemptions agree with the chain's accruals; the report is what is proposed.
 */
async function proposable(
  deps: DomainDeps,
  chain: ChainGateway,
  params: { actor: AccessClaims; periodId: number },
): Promise<ReconciliationReport> {
  await catchUpIndex(chain);
  const period = { municipalityId: params.actor.municipalityId, periodId: params.periodId };
  if (!(await findClosedPeriod(deps.db, period))) throw new AppError('PERIOD_NOT_CLOSED');
  await assertNoLiveSettlement(deps, period);
  const report = await reconcilePeriod(deps.db, chain, period);
  if (!report.clean) throw new ReconciliationMismatchError(report);
  return report;
}

function periodAction(
  action: 'PROPOSE_SETTLEMENT' | 'APPROVE_SETTLEMENT',
  municipalityId: number,
  periodId: number | bigint,
  totalOre: bigint,
): OfficerAction {
  return { action, municipalityId, subject: periodSubject(periodId), amountOre: totalOre };
}

export interface ProposalChallenge {
  periodId: number;
  totalOre: string;
  providerCount: number;
  deadline: number;
  digest: Hex;
}

/** What officer A signs to propose paying a closed period: its reconciled total and providers. */
export async function proposeSettlementChallenge(
  deps: DomainDeps,
  params: { actor: AccessClaims; periodId: number },
): Promise<ProposalChallenge> {
  const chain = requireChain(deps);
  const report = await proposable(deps, chain, params);
  const totalOre = BigInt(report.chain.totalOre);
  return {
    periodId: params.periodId,
    totalOre: report.chain.totalOre,
    providerCount: report.providers.filter((provider) => BigInt(provider.chainClaimOre) > 0n).length,
    ...(await officerChallenge(
      deps,
      chain,
      periodAction('PROPOSE_SETTLEMENT', params.actor.municipalityId, params.periodId, totalOre),
    )),
  };
}

/**
 * Officer A proposes paying a closed period. The amounts are the chain's accruals per
 * provider, accepted only when the database's redemptions agree with them; A states the total
 * they checked and signs it with their own passkey, and the contract checks both again
 * (proposeSettlementSigned). The service relays; it cannot sign.
 */
export async function proposeSettlement(
  deps: DomainDeps,
  params: SignedParams & { periodId: number; totalOre: string },
): Promise<SettlementOutcome> {
  const chain = requireChain(deps);
  const report = await proposable(deps, chain, params);
  const totalOre = BigInt(report.chain.totalOre);
  if (BigInt(params.totalOre) !== totalOre) {
    throw new AppError('SETTLEMENT_TOTAL_CHANGED', {
      statedOre: params.totalOre,
      totalOre: report.chain.totalOre,
    });
  }
  const signed = await verifyOfficerSignature(deps, chain, {
    ...params,
    action: periodAction('PROPOSE_SETTLEMENT', params.actor.municipalityId, params.periodId, totalOre),
  });
  const settlement = await recordProposal(deps, params, report, await proposedLines(chain, report), signed);
  await chain.outbox.waitFor(settlement.proposeOutboxId as bigint, deps.config.settlement.waitMs);
  const outcome = await settlementOutcome(deps, params.actor, settlement.id, 'proposed');
  if (outcome.settlement.status === 'rejected') {
    throw new AppError('SETTLEMENT_CHAIN_REFUSED', { reason: outcome.settlement.chainError });
  }
  return outcome;
}

interface SignedParams {
  actor: AccessClaims;
  deadline: number;
  assertion: StaffAssertion;
}

/**
 * The batch, its frozen payouts and the signed-by-A chain intent, in one transaction. Two
 * officers proposing at the same instant meet at the one-live-batch-per-period index.
 */
async function recordProposal(
  deps: DomainDeps,
  params: { actor: AccessClaims; periodId: number },
  report: ReconciliationReport,
  lines: ProposedLine[],
  signed: OfficerSigned,
): Promise<Settlement> {
  try {
    return await insertProposal(deps, params, report, lines, signed);
  } catch (error) {
    if (isUniqueViolation(error, 'settlements_period_live_unique')) throw new AppError('SETTLEMENT_EXISTS');
    throw error;
  }
}

/**
 * A provider's line: its claim for the period on chain (net of the voids and refunds that
 * landed in it), less what the chain will keep of it against the provider's receivable as
 * known now (`min(receivable, claim)`). A provider whose claim is 0 has no line: the payout
 * would refuse it. The payout's events are the truth in the end (a refund landing after the
 * proposal can raise the receivable); the line is brought in line with them when paid.
 */
export interface ProposedLine {
  providerId: number;
  claimOre: bigint;
  offsetOre: bigint;
  redemptionCount: number;
}

async function proposedLines(chain: ChainGateway, report: ReconciliationReport): Promise<ProposedLine[]> {
  const lines: ProposedLine[] = [];
  for (const provider of report.providers) {
    const claimOre = BigInt(provider.chainClaimOre);
    if (claimOre <= 0n) continue;
    const receivable = await readReceivable(chain, report.municipalityId, provider.providerId);
    lines.push({
      providerId: provider.providerId,
      claimOre,
      offsetOre: receivable < claimOre ? receivable : claimOre,
      redemptionCount: provider.chainRedemptions,
    });
  }
  return lines;
}

function insertProposal(
  deps: DomainDeps,
  params: { actor: AccessClaims; periodId: number },
  report: ReconciliationReport,
  lines: ProposedLine[],
  signed: OfficerSigned,
): Promise<Settlement> {
  return deps.db.transaction(async (tx) => {
    const ibans = await providerIbans(
      tx,
      lines.map((line) => line.providerId),
    );
    const [created] = await tx
      .insert(settlements)
      .values({
        periodId: params.periodId,
        municipalityId: params.actor.municipalityId,
        status: 'proposing',
        totalOre: BigInt(report.chain.totalOre),
        providerCount: lines.length,
        chunkSize: deps.config.settlement.chunkSize,
        proposedBy: params.actor.sub,
        proposedAt: deps.now(),
      })
      .returning();
    if (!created) throw new Error('settlement insert returned nothing');
    if (lines.length > 0) {
      await tx.insert(settlementPayouts).values(
        lines.map((line) => ({
          settlementId: created.id,
          providerId: line.providerId,
          claimOre: line.claimOre,
          offsetOre: line.offsetOre,
          amountOre: line.claimOre - line.offsetOre,
          redemptionCount: line.redemptionCount,
          iban: ibans.get(line.providerId) ?? '',
          endToEndId: endToEndId(created.municipalityId, params.periodId, line.providerId),
        })),
      );
    }
    const outboxId = await relaySigned(tx, {
      actor: params.actor,
      signed,
      step: 'propose',
      kind: 'settlement.propose',
      functionName: 'proposeSettlementSigned',
      args: [String(created.municipalityId), String(params.periodId), report.chain.totalOre],
      idempotencyKey: `settlement:${created.id}:propose:${signed.digest}`,
      audit: {
        municipalityId: created.municipalityId,
        action: 'settlement.proposal.signed',
        subjectType: 'settlement',
        subjectId: created.id.toString(),
      },
      details: {
        periodId: params.periodId,
        totalOre: report.chain.totalOre,
        providerCount: lines.length,
        offsetOre: lines.reduce((sum, line) => sum + line.offsetOre, 0n).toString(),
      },
    });
    await tx.update(settlements).set({ proposeOutboxId: outboxId }).where(eq(settlements.id, created.id));
    return { ...created, proposeOutboxId: outboxId };
  });
}

async function assertNoLiveSettlement(deps: DomainDeps, period: PeriodRef): Promise<void> {
  const [live] = await deps.db
    .select({ id: settlements.id })
    .from(settlements)
    .where(
      and(
        eq(settlements.municipalityId, period.municipalityId),
        eq(settlements.periodId, period.periodId),
        ne(settlements.status, 'rejected'),
      ),
    );
  if (live) throw new AppError('SETTLEMENT_EXISTS', { settlementId: live.id.toString() });
}

async function providerIbans(
  tx: Parameters<typeof payoutsOf>[0],
  ids: number[],
): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: providers.id, iban: providers.iban })
    .from(providers)
    .where(inArray(providers.id, ids));
  return new Map(rows.map((row) => [row.id, row.iban]));
}

function assertApprovable(settlement: Settlement, actor: AccessClaims): void {
  if (settlement.status !== 'proposed')
    throw new AppError('SETTLEMENT_NOT_PROPOSED', { status: settlement.status });
  if (settlement.proposedBy === actor.sub) throw new AppError('SETTLEMENT_SELF_APPROVAL');
}

async function approvable(deps: DomainDeps, actor: AccessClaims, id: bigint): Promise<Settlement> {
  const settlement = await deps.db.transaction((tx) => lockedAndRefreshed(deps, tx, actor, id));
  assertApprovable(settlement, actor);
  return settlement;
}

const approveAction = (settlement: Settlement) =>
  periodAction('APPROVE_SETTLEMENT', settlement.municipalityId, settlement.periodId, settlement.totalOre);

/** What officer B signs to approve: the proposal's period and total, and who proposed it. */
export async function approveSettlementChallenge(
  deps: DomainDeps,
  params: { actor: AccessClaims; settlementId: bigint },
): Promise<{
  settlementId: string;
  periodId: number;
  totalOre: string;
  proposedBy: string;
  deadline: number;
  digest: Hex;
}> {
  const chain = requireChain(deps);
  const settlement = await approvable(deps, params.actor, params.settlementId);
  const [proposer] = await deps.db
    .select({ username: staffUsers.username })
    .from(staffUsers)
    .where(eq(staffUsers.id, settlement.proposedBy));
  return {
    settlementId: settlement.id.toString(),
    periodId: Number(settlement.periodId),
    totalOre: settlement.totalOre.toString(),
    proposedBy: proposer?.username ?? settlement.proposedBy,
    ...(await officerChallenge(deps, chain, approveAction(settlement))),
  };
}

/**
 * Officer B approves with their own passkey. The proposer is refused here with a stable code,
 * and would be refused by the contract too (SettlementSelfApproval): two passkeys, two people.
 */
export async function approveSettlement(
  deps: DomainDeps,
  params: SignedParams & { settlementId: bigint },
): Promise<SettlementOutcome> {
  const chain = requireChain(deps);
  const named = await approvable(deps, params.actor, params.settlementId);
  const signed = await verifyOfficerSignature(deps, chain, { ...params, action: approveAction(named) });
  const outboxId = await deps.db.transaction(async (tx) => {
    const settlement = await lockedAndRefreshed(deps, tx, params.actor, params.settlementId);
    assertApprovable(settlement, params.actor);
    const id = await relaySigned(tx, {
      actor: params.actor,
      signed,
      step: 'approve',
      kind: 'settlement.approve',
      functionName: 'approveSettlementSigned',
      args: [String(settlement.municipalityId), String(settlement.periodId), settlement.totalOre.toString()],
      idempotencyKey: `settlement:${settlement.id}:approve:${signed.digest}`,
      audit: {
        municipalityId: settlement.municipalityId,
        action: 'settlement.approval.signed',
        subjectType: 'settlement',
        subjectId: settlement.id.toString(),
      },
      details: { periodId: settlement.periodId, totalOre: settlement.totalOre.toString() },
    });
    await tx
      .update(settlements)
      .set({ status: 'approving', approvedBy: params.actor.sub, approvedAt: deps.now(), approveOutboxId: id })
      .where(eq(settlements.id, settlement.id));
    return id;
  });
  await chain.outbox.waitFor(outboxId, deps.config.settlement.waitMs);
  const outcome = await settlementOutcome(deps, params.actor, params.settlementId, 'approved');
  if (outcome.settlement.status === 'proposed') {
    throw new AppError('SETTLEMENT_CHAIN_REFUSED', { reason: outcome.settlement.chainError });
  }
  return outcome;
}

/**
 * Pays every provider of an approved settlement, in chunks of `payout(period, providers)`.
 * All chunks of a round are enqueued in one transaction with their own idempotency keys,
 * so a crash leaves either none or all of them in the durable outbox, which sends them
 * after a restart. Calling it again resumes: confirmed chunks count as paid, refused
 * chunks (and only providers the chain has not paid) go into a new round.
 */
export async function executeSettlement(
  deps: DomainDeps,
  params: { actor: AccessClaims; settlementId: bigint },
): Promise<SettlementOutcome> {
  const chain = requireChain(deps);
  const outboxIds = await deps.db.transaction(async (tx) => {
    const settlement = await lockedAndRefreshed(deps, tx, params.actor, params.settlementId);
    if (settlement.status === 'paid') return [];
    if (settlement.status !== 'approved' && settlement.status !== 'executing') {
      throw new AppError('SETTLEMENT_NOT_APPROVED', { status: settlement.status });
    }
    await markPaidOnChain(tx, chain, settlement, deps.now());
    return enqueueRound(deps, tx, params.actor, settlement);
  });
  const deadline = Date.now() + deps.config.settlement.waitMs;
  for (const id of outboxIds) await chain.outbox.waitFor(id, Math.max(0, deadline - Date.now()));
  // The payout's events say what was set off and transferred; the lines follow them.
  await catchUpIndex(chain);
  return settlementOutcome(deps, params.actor, params.settlementId, 'paid');
}

type Tx = Parameters<Parameters<DomainDeps['db']['transaction']>[0]>[0];

/**
 * Providers without a chunk are either new to this round or were in a refused chunk; one
 * the chain already paid (an earlier run the outbox lost track of) must not be sent again.
 */
async function markPaidOnChain(
  tx: Tx,
  chain: ChainGateway,
  settlement: Settlement,
  now: Date,
): Promise<void> {
  if (settlement.executionRound === 0) return;
  const unassigned = await unassignedPayouts(tx, settlement.id);
  if (unassigned.length === 0) return;
  await catchUpIndex(chain);
  const { municipalityId, periodId } = settlement;
  const payments = new Map(
    (await paymentsInPeriod(tx, { municipalityId, periodId })).map((p) => [p.providerId, p]),
  );
  for (const { providerId } of unassigned) {
    const payment = payments.get(providerId);
    const paid =
      payment !== undefined || (await readClaimPaid(chain, municipalityId, periodId, providerId)).paid;
    if (!paid) continue;
    await tx
      .update(settlementPayouts)
      .set({ status: 'paid', paidTxHash: payment?.txHash ?? 'unknown', paidAt: now })
      .where(
        and(eq(settlementPayouts.settlementId, settlement.id), eq(settlementPayouts.providerId, providerId)),
      );
  }
}

function unassignedPayouts(tx: Tx, settlementId: bigint) {
  return tx
    .select({ providerId: settlementPayouts.providerId })
    .from(settlementPayouts)
    .where(
      and(
        eq(settlementPayouts.settlementId, settlementId),
        eq(settlementPayouts.status, 'pending'),
        isNull(settlementPayouts.outboxId),
      ),
    )
    .orderBy(asc(settlementPayouts.providerId));
}

async function enqueueRound(
  deps: DomainDeps,
  tx: Tx,
  actor: AccessClaims,
  settlement: Settlement,
): Promise<bigint[]> {
  const unassigned = (await unassignedPayouts(tx, settlement.id)).map((row) => row.providerId);
  const inFlight = await tx
    .selectDistinct({ outboxId: settlementPayouts.outboxId })
    .from(settlementPayouts)
    .where(and(eq(settlementPayouts.settlementId, settlement.id), eq(settlementPayouts.status, 'pending')));
  const waiting = inFlight.map((row) => row.outboxId).filter((id): id is bigint => id !== null);
  if (unassigned.length === 0) return waiting;
  const round = settlement.executionRound + 1;
  const chunks = chunk(unassigned, settlement.chunkSize);
  const enqueued: bigint[] = [];
  for (const [index, providerIds] of chunks.entries()) {
    const outboxId = await enqueueChainWrite(tx, {
      kind: 'settlement.payout',
      contract: 'hub',
      functionName: 'payout',
      args: [String(settlement.municipalityId), String(settlement.periodId), providerIds.map(String)],
      idempotencyKey: `settlement:${settlement.id}:payout:r${round}:c${index}`,
    });
    await tx
      .update(settlementPayouts)
      .set({ outboxId })
      .where(
        and(
          eq(settlementPayouts.settlementId, settlement.id),
          inArray(settlementPayouts.providerId, providerIds),
        ),
      );
    enqueued.push(outboxId);
  }
  await tx
    .update(settlements)
    .set({
      status: 'executing',
      executionRound: round,
      executedBy: settlement.executedBy ?? actor.sub,
      executionStartedAt: settlement.executionStartedAt ?? deps.now(),
    })
    .where(eq(settlements.id, settlement.id));
  await appendAudit(tx, {
    ...auditActor(actor),
    municipalityId: settlement.municipalityId,
    action: 'settlement.payout.enqueued',
    subjectType: 'settlement',
    subjectId: settlement.id.toString(),
    details: { periodId: settlement.periodId, round, chunks: chunks.length, providers: unassigned.length },
  });
  return [...waiting, ...enqueued];
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

async function lockedAndRefreshed(
  deps: DomainDeps,
  tx: Tx,
  actor: AccessClaims,
  id: bigint,
): Promise<Settlement> {
  const settlement = await findSettlement(tx, actor, id, { forUpdate: true });
  return refreshSettlement(tx, settlement, deps.now());
}

/** Reads a settlement after bringing it up to date with its outbox rows. */
export async function getSettlement(
  deps: DomainDeps,
  params: { actor: AccessClaims; settlementId: bigint },
): Promise<SettlementView> {
  const settlement = await deps.db.transaction((tx) =>
    lockedAndRefreshed(deps, tx, params.actor, params.settlementId),
  );
  return toSettlementView(
    settlement,
    await payoutsOf(deps.db, settlement.id),
    await settlementSignatures(deps.db, settlement),
  );
}

/** The officers' signatures behind a settlement: its period's close, the proposal, approval, bank confirmations. */
async function settlementSignatures(db: Executor, settlement: Settlement) {
  const signatures = await officerSignatures(db, settlement.municipalityId, [
    { subjectType: 'period', subjectId: String(settlement.periodId) },
    { subjectType: 'settlement', subjectId: settlement.id.toString() },
  ]);
  return signatures.map(({ step, username, deviceName, signedAt }) => ({
    step,
    username,
    deviceName,
    signedAt,
  }));
}

async function settlementOutcome(
  deps: DomainDeps,
  actor: AccessClaims,
  settlementId: bigint,
  target: Settlement['status'],
): Promise<SettlementOutcome> {
  const view = await getSettlement(deps, { actor, settlementId });
  const reached = view.status === target || (target === 'approved' && view.status === 'paid');
  return { settled: reached, settlement: view };
}

export async function listSettlements(deps: DomainDeps, actor: AccessClaims): Promise<SettlementView[]> {
  const rows = await deps.db
    .select()
    .from(settlements)
    .where(eq(settlements.municipalityId, actor.municipalityId))
    .orderBy(asc(settlements.periodId), asc(settlements.id));
  return Promise.all(
    rows.map(async (row) =>
      toSettlementView(row, await payoutsOf(deps.db, row.id), await settlementSignatures(deps.db, row)),
    ),
  );
}
