import { voucherHubAbi } from '@voucher/contracts';
import {
  appendAudit,
  type Program,
  type ProgramFunding,
  programFundings,
  programs,
  staffUsers,
} from '@voucher/db';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Hex } from 'viem';
import { SYSTEM_ACTOR } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { ChainGateway } from '../chain/gateway.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import {
  fundingKeyOf,
  type OfficerAction,
  officerChallenge,
  relaySigned,
  verifyOfficerSignature,
} from '../officer-signing/officer-signing.ts';
import { type OfficerSignatureView, officerSignatures } from '../officer-signing/signatures.ts';
import type { StaffAssertion } from '../passkeys/verify-staff-assertion.ts';
import { requireChain } from '../periods/chain-access.ts';
import { findMunicipalProgram } from './find-program.ts';

const UINT128_MAX = 2n ** 128n - 1n;
const SUBJECT_TYPE = 'program-funding';

export interface FundingParams {
  actor: AccessClaims;
  programId: bigint;
  amountOre: bigint;
  /** Client-generated: the funding key on chain, so the same request never mints twice. */
  requestId: string;
}

export interface FundingChallenge {
  programId: string;
  amountOre: string;
  requestId: string;
  /** This signature is the second, approving one. */
  secondOfficer: boolean;
  /** The amount is above the municipality's single-officer limit: two officers sign. */
  needsSecondOfficer: boolean;
  limitOre: string;
  deadline: number;
  digest: Hex;
}

export interface FundingView {
  requestId: string;
  programId: string;
  amountOre: string;
  status: ProgramFunding['status'];
  proposedBy: string;
  approvedBy: string | null;
  createdAt: string;
  fundedAt: string | null;
  signatures: OfficerSignatureView[];
}

interface OnChainFunding {
  program: bigint;
  amountOre: bigint;
  proposer: Hex;
  executed: boolean;
}

interface FundingContext {
  chain: ChainGateway;
  program: Program;
  existing: ProgramFunding | undefined;
  onChain: OnChainFunding;
  limitOre: bigint;
  action: OfficerAction;
}

function readFunding(
  chain: ChainGateway,
  municipalityId: number,
  requestId: string,
): Promise<OnChainFunding> {
  return chain.publicClient.readContract({
    address: chain.addresses.hub,
    abi: voucherHubAbi,
    functionName: 'fundingOf',
    args: [municipalityId, fundingKeyOf(requestId)],
  }) as Promise<OnChainFunding>;
}

/**
 * The checks a funding signature must pass before anyone signs, and again before it is
 * relayed: the program is the caller's and still running, the request id names no other
 * program or amount, it has not minted yet, and the officer who proposed it does not approve it.
 */
async function fundingContext(deps: DomainDeps, params: FundingParams): Promise<FundingContext> {
  if (params.amountOre <= 0n || params.amountOre > UINT128_MAX) throw new AppError('AMOUNT_INVALID');
  const program = await findMunicipalProgram(deps.db, params.actor, params.programId);
  if (program.validUntil <= deps.now()) throw new AppError('PROGRAM_ENDED');
  const chain = requireChain(deps);
  const { municipalityId } = program;
  const [existing] = await deps.db
    .select()
    .from(programFundings)
    .where(
      and(
        eq(programFundings.municipalityId, municipalityId),
        eq(programFundings.requestId, params.requestId),
      ),
    );
  const onChain = await readFunding(chain, municipalityId, params.requestId);
  const differs = (programId: bigint, amountOre: bigint) =>
    programId !== program.id || amountOre !== params.amountOre;
  if (
    (existing && differs(existing.programId, existing.amountOre)) ||
    (onChain.amountOre !== 0n && differs(onChain.program, onChain.amountOre))
  ) {
    throw new AppError('FUNDING_KEY_CONFLICT', { requestId: params.requestId });
  }
  const ledger = await chain.publicClient.readContract({
    address: chain.addresses.hub,
    abi: voucherHubAbi,
    functionName: 'ledgerOf',
    args: [municipalityId],
  });
  return {
    chain,
    program,
    existing,
    onChain,
    limitOre: ledger.singleOfficerFundingLimitOre,
    action: {
      action: 'FUND_PROGRAM',
      municipalityId,
      programId: program.id,
      subject: fundingKeyOf(params.requestId),
      amountOre: params.amountOre,
    },
  };
}

function assertNotSelfApproval(context: FundingContext, actor: AccessClaims): void {
  const { existing } = context;
  if (existing?.status === 'awaiting-second-officer' && existing.proposedBy === actor.sub) {
    throw new AppError('FUNDING_SELF_APPROVAL');
  }
}

const isFunded = (context: FundingContext) =>
  context.onChain.executed || context.existing?.status === 'funded';

/** What the treasury officer signs to fund a program: the amount, the request and who else must sign. */
export async function fundingChallenge(deps: DomainDeps, params: FundingParams): Promise<FundingChallenge> {
  const context = await fundingContext(deps, params);
  if (isFunded(context)) throw new AppError('FUNDING_ALREADY_FUNDED', { requestId: params.requestId });
  assertNotSelfApproval(context, params.actor);
  return {
    programId: context.program.id.toString(),
    amountOre: params.amountOre.toString(),
    requestId: params.requestId,
    secondOfficer: context.onChain.amountOre !== 0n,
    needsSecondOfficer: params.amountOre > context.limitOre,
    limitOre: context.limitOre.toString(),
    ...(await officerChallenge(deps, context.chain, context.action)),
  };
}

/**
 * Relays a treasury officer's passkey signature funding a program (fundProgramSigned, with the
 * request id's hash as the funding key). Up to the limit it mints; above it the first signature
 * proposes (answered 'awaiting-second-officer') and a different officer's signature over the
 * same request and amount mints. The program's budget grows only once the chain minted. A
 * request already funded answers as it stands and mints nothing again.
 */
export async function fundProgramSigned(
  deps: DomainDeps,
  params: FundingParams & { deadline: number; assertion: StaffAssertion },
): Promise<FundingView> {
  const context = await fundingContext(deps, params);
  const { chain, program } = context;
  if (isFunded(context)) {
    if (!context.existing) throw new AppError('FUNDING_ALREADY_FUNDED', { requestId: params.requestId });
    return fundingView(deps, await syncFunding(deps, chain, context.existing));
  }
  assertNotSelfApproval(context, params.actor);
  const signed = await verifyOfficerSignature(deps, chain, { ...params, action: context.action });
  const funding = await deps.db.transaction(async (tx) => {
    const second = context.existing?.status === 'awaiting-second-officer';
    const [row] = await tx
      .insert(programFundings)
      .values({
        municipalityId: program.municipalityId,
        programId: program.id,
        requestId: params.requestId,
        amountOre: params.amountOre,
        status: 'pending',
        proposedBy: params.actor.sub,
      })
      .onConflictDoUpdate({
        target: [programFundings.municipalityId, programFundings.requestId],
        set: second
          ? { status: 'pending', approvedBy: params.actor.sub }
          : { status: 'pending', proposedBy: params.actor.sub, approvedBy: null },
      })
      .returning();
    if (!row) throw new Error('program funding upsert returned nothing');
    const outboxId = await relaySigned(tx, {
      actor: params.actor,
      signed,
      step: 'fund',
      kind: 'program.fund',
      functionName: 'fundProgramSigned',
      args: [program.id.toString(), params.amountOre.toString(), fundingKeyOf(params.requestId)],
      idempotencyKey: `program-funding:${program.municipalityId}:${params.requestId}:${signed.digest}`,
      audit: {
        municipalityId: program.municipalityId,
        action: 'program.funding.signed',
        subjectType: SUBJECT_TYPE,
        subjectId: params.requestId,
      },
      details: { programId: program.id.toString(), amountOre: params.amountOre.toString() },
    });
    const [withOutbox] = await tx
      .update(programFundings)
      .set({ outboxId })
      .where(eq(programFundings.id, row.id))
      .returning();
    return withOutbox ?? row;
  });
  const outcome = await chain.outbox.waitFor(funding.outboxId as bigint, deps.config.settlement.waitMs);
  const synced = await syncFunding(deps, chain, funding);
  if (outcome.status === 'failed') throw new AppError('FUNDING_CHAIN_REFUSED', { reason: outcome.error });
  return fundingView(deps, synced);
}

/**
 * Brings a funding request in line with the chain: executed there means funded here, and the
 * program's budget grows by the amount exactly once (the status change is the guard); proposed
 * and not executed means awaiting a second officer; nothing on chain and the last signature's
 * write refused means rejected.
 */
async function syncFunding(deps: DomainDeps, chain: ChainGateway, funding: ProgramFunding) {
  if (funding.status === 'funded' || funding.status === 'rejected') return funding;
  const onChain = await readFunding(chain, funding.municipalityId, funding.requestId);
  return deps.db.transaction(async (tx) => {
    if (onChain.executed) {
      const [funded] = await tx
        .update(programFundings)
        .set({ status: 'funded', fundedAt: deps.now() })
        .where(and(eq(programFundings.id, funding.id), sql`${programFundings.status} <> 'funded'`))
        .returning();
      if (!funded) return funding;
      const [program] = await tx
        .update(programs)
        .set({ budgetOre: sql`${programs.budgetOre} + ${funding.amountOre.toString()}::bigint` })
        .where(eq(programs.id, funding.programId))
        .returning();
      await appendAudit(tx, {
        ...SYSTEM_ACTOR,
        municipalityId: funding.municipalityId,
        action: 'program.funded',
        subjectType: 'program',
        subjectId: funding.programId.toString(),
        details: {
          amountOre: funding.amountOre.toString(),
          budgetOre: program?.budgetOre.toString() ?? null,
          requestId: funding.requestId,
        },
      });
      return funded;
    }
    const outbox = funding.outboxId
      ? await tx.query.chainOutbox.findFirst({
          where: (row, { eq }) => eq(row.id, funding.outboxId as bigint),
        })
      : undefined;
    const refused = outbox?.status === 'failed';
    const status: ProgramFunding['status'] =
      onChain.amountOre !== 0n ? 'awaiting-second-officer' : refused ? 'rejected' : 'pending';
    const [updated] = await tx
      .update(programFundings)
      .set({ status, ...(refused && onChain.amountOre !== 0n ? { approvedBy: null } : {}) })
      .where(eq(programFundings.id, funding.id))
      .returning();
    return updated ?? funding;
  });
}

async function fundingView(deps: DomainDeps, funding: ProgramFunding): Promise<FundingView> {
  return (await fundingViews(deps, [funding]))[0] as FundingView;
}

async function fundingViews(deps: DomainDeps, fundings: ProgramFunding[]): Promise<FundingView[]> {
  if (fundings.length === 0) return [];
  const staffIds = [
    ...new Set(fundings.flatMap((f) => [f.proposedBy, f.approvedBy]).filter((id): id is string => !!id)),
  ];
  const names = new Map(
    (
      await deps.db
        .select({ id: staffUsers.id, username: staffUsers.username })
        .from(staffUsers)
        .where(inArray(staffUsers.id, staffIds))
    ).map((row) => [row.id, row.username]),
  );
  const municipalityId = fundings[0]?.municipalityId as number;
  const signatures = await officerSignatures(
    deps.db,
    municipalityId,
    fundings.map((f) => ({ subjectType: SUBJECT_TYPE, subjectId: f.requestId })),
  );
  return fundings.map((f) => ({
    requestId: f.requestId,
    programId: f.programId.toString(),
    amountOre: f.amountOre.toString(),
    status: f.status,
    proposedBy: names.get(f.proposedBy) ?? f.proposedBy,
    approvedBy: f.approvedBy ? (names.get(f.approvedBy) ?? f.approvedBy) : null,
    createdAt: f.createdAt.toISOString(),
    fundedAt: f.fundedAt?.toISOString() ?? null,
    signatures: signatures
      .filter((s) => s.subjectId === f.requestId)
      .map(({ step, username, deviceName, signedAt }) => ({ step, username, deviceName, signedAt })),
  }));
}

/** A program's funding requests, oldest first, each brought in line with the chain. */
export async function listFundings(
  deps: DomainDeps,
  params: { actor: AccessClaims; programId: bigint },
): Promise<FundingView[]> {
  const chain = requireChain(deps);
  const program = await findMunicipalProgram(deps.db, params.actor, params.programId);
  const rows = await deps.db
    .select()
    .from(programFundings)
    .where(eq(programFundings.programId, program.id))
    .orderBy(asc(programFundings.id));
  const synced = [];
  for (const row of rows) synced.push(await syncFunding(deps, chain, row));
  return fundingViews(deps, synced);
}
