import {
  type Account,
  appendAudit,
  type Citizen,
  grants,
  type Program,
  programs,
  type Transaction,
} from '@voucher/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { toHex } from 'viem';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import { isUniqueViolation } from '../db-errors.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { enqueueChainWrite } from '../outbox/enqueue.ts';
import { personProgramKey } from '../privacy/blind-index.ts';
import { type CitizenRecord, openCitizenRecord, vaultKeyring } from '../privacy/citizen-record.ts';
import { findCitizen } from '../privacy/find-citizen.ts';
import { accountOfCitizen } from '../privacy/read-citizen.ts';
import { factsFromRecord } from './citizen-facts.ts';
import { danishCalendarDate, evaluateEligibility, isMet } from './evaluate-eligibility.ts';
import { parseEligibilityRule } from './rule.ts';

export interface GrantedProgram {
  grantId: string;
  programId: string;
  accountId: `0x${string}`;
  amountOre: string | null;
  uses: number | null;
  /** The outbox row that writes the grant on chain. */
  outboxId: bigint;
}

/** What the caseworker is told about the chain: the grant is usable once it is 'confirmed'. */
export type ChainWriteStatus = 'confirmed' | 'pending' | 'failed';

/** Caseworker grants one program to one citizen, if eligible and not granted before. */
export async function grantProgram(
  deps: DomainDeps,
  actor: AccessClaims,
  params: { citizenId: string; programId: bigint },
): Promise<GrantedProgram> {
  const citizen = await findCitizen(deps, actor, params.citizenId);
  const record = openCitizenRecord(vaultKeyring(deps.config), citizen);
  const account = await accountOfCitizen(deps, citizen);
  const program = await findPublishedProgram(deps, actor, params.programId);
  const verdict = evaluateEligibility(
    parseEligibilityRule(program.eligibilityRule),
    factsFromRecord(record),
    danishCalendarDate(deps.now()),
  );
  if (!verdict.eligible) {
    const unmet = verdict.reasons.filter((reason) => !isMet(reason));
    throw new AppError('NOT_ELIGIBLE', { reasons: unmet.join(',') });
  }
  return recordGrant(deps, actor, { citizen, record, account, program });
}

/**
 * Waits a moment (CHAIN_WAIT_MS) for the chain to take the grant, so the caseworker can tell
 * the citizen "ready to use" at the desk; after that the outbox keeps going on its own.
 */
export async function chainStatusOf(deps: DomainDeps, outboxId: bigint): Promise<ChainWriteStatus> {
  if (!deps.chain) return 'pending';
  const outcome = await deps.chain.outbox.waitFor(outboxId, deps.config.chainWaitMs);
  return outcome.status;
}

export async function findPublishedProgram(
  deps: DomainDeps,
  actor: AccessClaims,
  programId: bigint,
): Promise<Program> {
  const program = await deps.db.query.programs.findFirst({
    where: and(eq(programs.id, programId), eq(programs.municipalityId, actor.municipalityId)),
  });
  if (program?.status !== 'published') throw new AppError('NOT_FOUND');
  if (program.validUntil.getTime() <= deps.now().getTime()) throw new AppError('PROGRAM_ENDED');
  return program;
}

interface GrantSubject {
  citizen: Citizen;
  record: CitizenRecord;
  account: Account;
  program: Program;
}

/**
 * Inserts the grant and enqueues it on chain in one transaction. The unique (program,
 * person key) index is what really enforces "once per person per program", also across the
 * person's accounts and against concurrent requests.
 */
export async function recordGrant(
  deps: DomainDeps,
  actor: AccessClaims,
  { citizen, record, account, program }: GrantSubject,
): Promise<GrantedProgram> {
  const personKey = personProgramKey(vaultKeyring(deps.config).current, record.cpr, program.id.toString());
  const amount =
    program.kind === 'credit'
      ? { amountOre: program.creditOre, uses: null }
      : { amountOre: null, uses: program.usesPerGrant };
  const accountHex = toHex(account.accountId);
  try {
    return await deps.db.transaction(async (tx) => {
      await assertBudgetLeft(tx, program, amount);
      const [grant] = await tx
        .insert(grants)
        .values({
          municipalityId: citizen.municipalityId,
          programId: program.id,
          accountId: account.accountId,
          personKey,
          ...amount,
          grantedBy: actor.role === 'citizen' ? null : actor.sub,
        })
        .returning({ id: grants.id });
      if (!grant) throw new Error('grant insert returned nothing');
      const chainAmount = (amount.amountOre ?? BigInt(amount.uses ?? 0)).toString();
      const outboxId = await enqueueChainWrite(tx, {
        kind: 'grant.create',
        contract: 'hub',
        functionName: 'grant',
        args: [accountHex, program.id.toString(), chainAmount],
        idempotencyKey: `grant:${grant.id}`,
      });
      await appendAudit(tx, {
        ...auditActor(actor),
        municipalityId: citizen.municipalityId,
        action: 'citizen.granted',
        subjectType: 'citizen',
        subjectId: citizen.id,
        details: { grantId: grant.id, programId: program.id.toString(), amount: chainAmount },
      });
      return {
        grantId: grant.id,
        programId: program.id.toString(),
        accountId: accountHex,
        amountOre: amount.amountOre === null ? null : (amount.amountOre ?? 0n).toString(),
        uses: amount.uses,
        outboxId,
      };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'grants_program_person_key_unique'))
      throw new AppError('GRANT_ALREADY_GIVEN');
    throw error;
  }
}

/**
 * The contract refuses a grant beyond the program's free escrow; checking here first turns a
 * failed chain write into a clear 409. The program row is locked so two concurrent grants
 * cannot both see the same free budget.
 */
async function assertBudgetLeft(
  tx: Transaction,
  program: Program,
  amount: { amountOre: bigint | null; uses: number | null },
): Promise<void> {
  await tx.select({ id: programs.id }).from(programs).where(eq(programs.id, program.id)).for('update');
  const [committed] = await tx
    .select({
      ore: sql<string>`coalesce(sum(coalesce(${grants.amountOre}, ${grants.uses}::bigint * ${program.maxPerUseOre})), 0)::text`,
    })
    .from(grants)
    .where(and(eq(grants.programId, program.id), isNull(grants.revokedAt)));
  const needed = amount.amountOre ?? BigInt(amount.uses ?? 0) * program.maxPerUseOre;
  if (BigInt(committed?.ore ?? '0') + needed > program.budgetOre)
    throw new AppError('PROGRAM_BUDGET_EXCEEDED');
}
