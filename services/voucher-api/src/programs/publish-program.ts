import { appendAudit, programs } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { findMunicipalProgram, programProviderIds } from './find-program.ts';
import { type ProgramView, toProgramView } from './program-view.ts';

/** Makes a funded draft program visible to caseworkers and citizens. */
export async function publishProgram(
  deps: DomainDeps,
  params: { actor: AccessClaims; programId: bigint },
): Promise<ProgramView> {
  return deps.db.transaction(async (tx) => {
    const program = await findMunicipalProgram(tx, params.actor, params.programId, { forUpdate: true });
    if (program.status !== 'draft') throw new AppError('PROGRAM_NOT_DRAFT');
    if (program.budgetOre <= 0n) throw new AppError('PROGRAM_NOT_FUNDED');
    if (program.validUntil <= deps.now()) throw new AppError('PROGRAM_ENDED');
    const [published] = await tx
      .update(programs)
      .set({ status: 'published', publishedAt: deps.now() })
      .where(eq(programs.id, program.id))
      .returning();
    if (!published) throw new Error('program update returned nothing');
    await appendAudit(tx, {
      ...auditActor(params.actor),
      municipalityId: published.municipalityId,
      action: 'program.published',
      subjectType: 'program',
      subjectId: published.id.toString(),
      details: { budgetOre: published.budgetOre.toString() },
    });
    return toProgramView(published, await programProviderIds(tx, published.id));
  });
}
