import { appendAudit, chainOutbox, programs } from '@voucher/db';
import { eq, sql } from 'drizzle-orm';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { enqueueChainWrite } from '../outbox/enqueue.ts';
import { findMunicipalProgram, programProviderIds } from '../programs/find-program.ts';
import { type ProgramView, toProgramView } from '../programs/program-view.ts';

const UINT128_MAX = 2n ** 128n - 1n;

export interface FundProgramParams {
  actor: AccessClaims;
  programId: bigint;
  amountOre: bigint;
  /** Client-generated id: retrying the same funding request changes nothing the second time. */
  requestId: string;
}

/**
 * The demo seed's funding only: the operator's own treasury role mints the demo programs'
 * budgets (role-based fundProgram), so `npm start` comes up with funded programs. The API
 * never does this: officers fund programs with their own passkeys (program-funding.ts). The
 * operator keeps the treasury role only because settleReceivable still needs it.
 */
export async function fundDemoProgram(deps: DomainDeps, params: FundProgramParams): Promise<ProgramView> {
  if (params.amountOre <= 0n || params.amountOre > UINT128_MAX) throw new AppError('AMOUNT_INVALID');
  const amount = params.amountOre.toString();
  const keyPrefix = `program-fund:${params.requestId}`;
  return deps.db.transaction(async (tx) => {
    const program = await findMunicipalProgram(tx, params.actor, params.programId, { forUpdate: true });
    const id = program.id.toString();
    const alreadyDone = await tx.query.chainOutbox.findFirst({
      columns: { id: true },
      where: eq(chainOutbox.idempotencyKey, `${keyPrefix}:fund`),
    });
    if (alreadyDone) return toProgramView(program, await programProviderIds(tx, program.id));
    if (program.validUntil <= deps.now()) throw new AppError('PROGRAM_ENDED');
    const [funded] = await tx
      .update(programs)
      .set({ budgetOre: sql`${programs.budgetOre} + ${amount}::bigint` })
      .where(eq(programs.id, program.id))
      .returning();
    if (!funded) throw new Error('program update returned nothing');
    // The hub mints the eKrone for the kroner paid into the scheme's bank account.
    await enqueueChainWrite(tx, {
      kind: 'program.fund',
      contract: 'hub',
      functionName: 'fundProgram',
      args: [id, amount],
      idempotencyKey: `${keyPrefix}:fund`,
    });
    await appendAudit(tx, {
      ...auditActor(params.actor),
      municipalityId: funded.municipalityId,
      action: 'program.funded',
      subjectType: 'program',
      subjectId: id,
      details: { amountOre: amount, budgetOre: funded.budgetOre.toString(), requestId: params.requestId },
    });
    return toProgramView(funded, await programProviderIds(tx, funded.id));
  });
}
