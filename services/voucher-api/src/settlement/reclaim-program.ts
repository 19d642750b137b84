import { voucherHubAbi } from '@voucher/contracts';
import { appendAudit, chainEvents, grants } from '@voucher/db';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { type Hex, toHex } from 'viem';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { enqueueChainWrite } from '../outbox/enqueue.ts';
import { catchUpIndex, requireChain } from '../periods/chain-access.ts';
import { findMunicipalProgram } from '../programs/find-program.ts';

/** Accounts per reclaim call; the contract walks each listed grant. */
const ACCOUNTS_PER_CALL = 200;

export interface ReclaimResult {
  programId: string;
  status: 'reclaimed' | 'pending';
  reclaimedOre: string;
  calls: number;
}

/**
 * Program end: after `validUntil` its grants can no longer be redeemed, so the treasury
 * takes back the free budget and what every outstanding grant still holds. Accrued claims
 * of providers are not touched (they are paid by settlement). The chain checks the date
 * again; a repeated call is harmless (a reclaimed grant counts 0).
 */
export async function reclaimProgram(
  deps: DomainDeps,
  params: { actor: AccessClaims; programId: bigint },
): Promise<ReclaimResult> {
  const chain = requireChain(deps);
  const program = await findMunicipalProgram(deps.db, params.actor, params.programId);
  if (program.validUntil > deps.now()) {
    throw new AppError('PROGRAM_STILL_RUNNING', { validUntil: program.validUntil.toISOString() });
  }
  const accounts = await grantedAccounts(deps, program.id);
  const calls = reclaimCalls(program.id, accounts);
  const outboxIds = await deps.db.transaction(async (tx) => {
    const ids: bigint[] = [];
    for (const [index, args] of calls.entries()) {
      ids.push(
        await enqueueChainWrite(tx, {
          kind: 'program.reclaim',
          contract: 'hub',
          functionName: 'reclaim',
          args,
          idempotencyKey: `program:${program.id}:reclaim:${deps.now().toISOString()}:${index}`,
        }),
      );
    }
    await appendAudit(tx, {
      ...auditActor(params.actor),
      municipalityId: program.municipalityId,
      action: 'program.reclaim.requested',
      subjectType: 'program',
      subjectId: program.id.toString(),
      details: { grants: accounts.length, calls: calls.length },
    });
    return ids;
  });
  const deadline = Date.now() + deps.config.settlement.waitMs;
  const outcomes = [];
  for (const id of outboxIds)
    outcomes.push(await chain.outbox.waitFor(id, Math.max(0, deadline - Date.now())));
  const refused = outcomes.find((outcome) => outcome.status === 'failed');
  if (refused) throw new AppError('PROGRAM_RECLAIM_FAILED', { reason: refused.error });
  const pending = outcomes.some((outcome) => outcome.status === 'pending');
  await catchUpIndex(chain);
  const reclaimed = await reclaimedOre(
    deps,
    outcomes.map((outcome) => outcome.txHash).filter((h): h is string => h !== null),
  );
  return {
    programId: program.id.toString(),
    status: pending ? 'pending' : 'reclaimed',
    reclaimedOre: reclaimed.toString(),
    calls: calls.length,
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

/**
 * The reclaim call(s) for the deployed ABI: the gas-optimised hub takes the accounts whose
 * grants it must void (in chunks); the earlier hub took only the program.
 */
function reclaimCalls(programId: bigint, accounts: Hex[]): (string | string[])[][] {
  const reclaim = (
    voucherHubAbi as readonly { type: string; name?: string; inputs?: readonly unknown[] }[]
  ).find((item) => item.type === 'function' && item.name === 'reclaim');
  const takesAccounts = reclaim?.inputs?.length === 2;
  if (!takesAccounts) return [[programId.toString()]];
  if (accounts.length === 0) return [[programId.toString(), []]];
  const calls: (string | string[])[][] = [];
  for (let start = 0; start < accounts.length; start += ACCOUNTS_PER_CALL) {
    calls.push([programId.toString(), accounts.slice(start, start + ACCOUNTS_PER_CALL)]);
  }
  return calls;
}

async function reclaimedOre(deps: DomainDeps, txHashes: string[]): Promise<bigint> {
  if (txHashes.length === 0) return 0n;
  const rows = await deps.db
    .select({ args: chainEvents.args })
    .from(chainEvents)
    .where(and(eq(chainEvents.eventName, 'ProgramReclaimed'), inArray(chainEvents.txHash, txHashes)));
  return rows.reduce((sum, row) => sum + BigInt((row.args as { amountOre: string }).amountOre), 0n);
}
