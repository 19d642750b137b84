import { voucherHubAbi } from '@voucher/contracts';
import { chainEvents, grants, type Program } from '@voucher/db';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { concat, type Hex, keccak256, toHex } from 'viem';
import type { AccessClaims } from '../auth/claims.ts';
import type { ChainGateway } from '../chain/gateway.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import {
  type OfficerAction,
  officerChallenge,
  relaySigned,
  verifyOfficerSignature,
} from '../officer-signing/officer-signing.ts';
import type { StaffAssertion } from '../passkeys/verify-staff-assertion.ts';
import { catchUpIndex, requireChain } from '../periods/chain-access.ts';
import { findMunicipalProgram } from '../programs/find-program.ts';

export interface ReclaimResult {
  programId: string;
  status: 'reclaimed' | 'pending';
  reclaimedOre: string;
  calls: number;
}

export interface ReclaimChallenge {
  programId: string;
  /** What the program holds on chain now: its free budget and what its grants still hold. */
  escrowOre: string;
  /** The grants voided by the reclaim. */
  accountCount: number;
  deadline: number;
  digest: Hex;
}

interface Reclaimable {
  chain: ChainGateway;
  program: Program;
  accounts: Hex[];
  action: OfficerAction;
}

/**
 * A program is reclaimed once it has ended (after `validUntil` its grants can no longer be
 * redeemed); the officer signs the exact list of accounts whose grants are voided (the hub's
 * subject: keccak256(abi.encodePacked(accounts))).
 */
async function reclaimable(
  deps: DomainDeps,
  params: { actor: AccessClaims; programId: bigint },
): Promise<Reclaimable> {
  const chain = requireChain(deps);
  const program = await findMunicipalProgram(deps.db, params.actor, params.programId);
  if (program.validUntil > deps.now()) {
    throw new AppError('PROGRAM_STILL_RUNNING', { validUntil: program.validUntil.toISOString() });
  }
  const accounts = await grantedAccounts(deps, program.id);
  return {
    chain,
    program,
    accounts,
    action: {
      action: 'RECLAIM_PROGRAM',
      municipalityId: program.municipalityId,
      programId: program.id,
      subject: keccak256(concat(accounts.length === 0 ? ['0x'] : accounts)),
      amountOre: 0n,
    },
  };
}

/** What the hub holds for the program: its free budget plus what every grant still holds. */
async function escrowOf(chain: ChainGateway, program: Program, accounts: Hex[]): Promise<bigint> {
  const hub = { address: chain.addresses.hub, abi: voucherHubAbi } as const;
  const funds = await chain.publicClient.readContract({
    ...hub,
    functionName: 'programFunds',
    args: [program.id],
  });
  let escrow = funds.freeOre;
  for (const account of accounts) {
    escrow += await chain.publicClient.readContract({
      ...hub,
      functionName: 'grantEscrowOf',
      args: [account, program.id],
    });
  }
  return escrow;
}

/** What the treasury officer signs to reclaim an ended program. */
export async function reclaimChallenge(
  deps: DomainDeps,
  params: { actor: AccessClaims; programId: bigint },
): Promise<ReclaimChallenge> {
  const { chain, program, accounts, action } = await reclaimable(deps, params);
  return {
    programId: program.id.toString(),
    escrowOre: (await escrowOf(chain, program, accounts)).toString(),
    accountCount: accounts.length,
    ...(await officerChallenge(deps, chain, action)),
  };
}

/**
 * Program end: the treasury officer's passkey signature has the hub take back the free budget
 * and what every outstanding grant still holds (reclaimSigned, one call with every granted
 * account). Accrued claims of providers are not touched (they are paid by settlement). The
 * chain checks the date again; a repeated reclaim is harmless (a reclaimed grant counts 0).
 */
export async function reclaimProgram(
  deps: DomainDeps,
  params: { actor: AccessClaims; programId: bigint; deadline: number; assertion: StaffAssertion },
): Promise<ReclaimResult> {
  const { chain, program, accounts, action } = await reclaimable(deps, params);
  const signed = await verifyOfficerSignature(deps, chain, { ...params, action });
  const outboxId = await deps.db.transaction((tx) =>
    relaySigned(tx, {
      actor: params.actor,
      signed,
      step: 'reclaim',
      kind: 'program.reclaim',
      functionName: 'reclaimSigned',
      args: [program.id.toString(), accounts],
      idempotencyKey: `program:${program.id}:reclaim:${signed.digest}`,
      audit: {
        municipalityId: program.municipalityId,
        action: 'program.reclaim.signed',
        subjectType: 'program',
        subjectId: program.id.toString(),
      },
      details: { grants: accounts.length },
    }),
  );
  const outcome = await chain.outbox.waitFor(outboxId, deps.config.settlement.waitMs);
  if (outcome.status === 'failed') throw new AppError('PROGRAM_RECLAIM_FAILED', { reason: outcome.error });
  await catchUpIndex(chain);
  const reclaimed = await reclaimedOre(deps, outcome.txHash ? [outcome.txHash] : []);
  return {
    programId: program.id.toString(),
    status: outcome.status === 'pending' ? 'pending' : 'reclaimed',
    reclaimedOre: reclaimed.toString(),
    calls: 1,
  };
}

async function grantedAccounts(deps: DomainDeps, programId: bigint): Promise<Hex[]> {
  const rows = await deps.db
    .select({ accountId: grants.accountId })
    .from(grants)
    .where(and(eq(grants.programId, programId), isNull(grants.revokedAt)))
    .orderBy(asc(grants.createdAt));
  return rows.map((row) => toHex(row.accountId));
}

async function reclaimedOre(deps: DomainDeps, txHashes: string[]): Promise<bigint> {
  if (txHashes.length === 0) return 0n;
  const rows = await deps.db
    .select({ args: chainEvents.args })
    .from(chainEvents)
    .where(and(eq(chainEvents.eventName, 'ProgramReclaimed'), inArray(chainEvents.txHash, txHashes)));
  return rows.reduce((sum, row) => sum + BigInt((row.args as { amountOre: string }).amountOre), 0n);
}
