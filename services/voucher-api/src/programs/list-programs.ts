import { type Program, type ProgramStatus, programProviders, programs } from '@voucher/db';
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { type ProgramView, toProgramView } from './program-view.ts';

const MUNICIPAL_ROLES = new Set(['admin', 'caseworker', 'finance', 'auditor']);

/**
 * Municipal staff see every program of their municipality (optionally by status); citizens
 * and provider staff see only published ones.
 */
export async function listPrograms(
  deps: DomainDeps,
  params: { actor: AccessClaims; status?: ProgramStatus },
): Promise<ProgramView[]> {
  const conditions: SQL[] = [eq(programs.municipalityId, params.actor.municipalityId)];
  const status = MUNICIPAL_ROLES.has(params.actor.role) ? params.status : 'published';
  if (status) conditions.push(eq(programs.status, status));
  const rows: Program[] = await deps.db
    .select()
    .from(programs)
    .where(and(...conditions))
    .orderBy(asc(programs.id));
  const providerIdsByProgram = await allowListsOf(deps, rows);
  return rows.map((program) => toProgramView(program, providerIdsByProgram.get(program.id) ?? []));
}

async function allowListsOf(deps: DomainDeps, rows: Program[]): Promise<Map<bigint, number[]>> {
  const byProgram = new Map<bigint, number[]>();
  if (rows.length === 0) return byProgram;
  const links = await deps.db
    .select()
    .from(programProviders)
    .where(
      inArray(
        programProviders.programId,
        rows.map((row) => row.id),
      ),
    )
    .orderBy(asc(programProviders.providerId));
  for (const link of links) {
    byProgram.set(link.programId, [...(byProgram.get(link.programId) ?? []), link.providerId]);
  }
  return byProgram;
}
