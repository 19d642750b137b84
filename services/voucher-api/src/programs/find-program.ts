import { type Executor, type Program, programProviders, programs } from '@voucher/db';
import { asc, eq } from 'drizzle-orm';
import { assertSameMunicipality } from '../auth/authorize.ts';
import type { AccessClaims } from '../auth/claims.ts';
import { AppError } from '../errors/app-error.ts';

/** A program of the actor's municipality (404 for any other), optionally row-locked. */
export async function findMunicipalProgram(
  db: Executor,
  actor: AccessClaims,
  programId: bigint,
  options: { forUpdate?: boolean } = {},
): Promise<Program> {
  const query = db.select().from(programs).where(eq(programs.id, programId));
  const [program] = options.forUpdate ? await query.for('update') : await query;
  if (!program) throw new AppError('NOT_FOUND');
  assertSameMunicipality(actor, program.municipalityId);
  return program;
}

export async function programProviderIds(db: Executor, programId: bigint): Promise<number[]> {
  const rows = await db
    .select({ providerId: programProviders.providerId })
    .from(programProviders)
    .where(eq(programProviders.programId, programId))
    .orderBy(asc(programProviders.providerId));
  return rows.map((row) => row.providerId);
}
