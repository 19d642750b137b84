import { grants, type Program, programs } from '@voucher/db';
import { and, eq, inArray } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { openCitizenRecord, vaultKeyring } from '../privacy/citizen-record.ts';
import { findCitizen } from '../privacy/find-citizen.ts';
import { accountOfCitizen } from '../privacy/read-citizen.ts';
import { factsFromRecord } from './citizen-facts.ts';
import { danishCalendarDate, type EligibilityReason, evaluateEligibility } from './evaluate-eligibility.ts';
import { parseEligibilityRule } from './rule.ts';

export interface ProgramEligibility {
  programId: string;
  programName: string;
  eligible: boolean;
  reasons: EligibilityReason[];
  alreadyGranted: boolean;
}

/** Which of the municipality's published programs this citizen qualifies for today. */
export async function citizenEligibility(
  deps: DomainDeps,
  actor: AccessClaims,
  citizenId: string,
): Promise<ProgramEligibility[]> {
  const citizen = await findCitizen(deps, actor, citizenId);
  const facts = factsFromRecord(openCitizenRecord(vaultKeyring(deps.config), citizen));
  const account = await accountOfCitizen(deps, citizen);
  const published = await publishedPrograms(deps, citizen.municipalityId);
  const granted = await grantedProgramIds(deps, account.accountId, published);
  const today = danishCalendarDate(deps.now());
  return published.map((program) => ({
    programId: program.id.toString(),
    programName: program.name,
    ...evaluateEligibility(parseEligibilityRule(program.eligibilityRule), facts, today),
    alreadyGranted: granted.has(program.id),
  }));
}

export async function publishedPrograms(
  deps: Pick<DomainDeps, 'db'>,
  municipalityId: number,
): Promise<Program[]> {
  return deps.db
    .select()
    .from(programs)
    .where(and(eq(programs.municipalityId, municipalityId), eq(programs.status, 'published')))
    .orderBy(programs.id);
}

async function grantedProgramIds(
  deps: Pick<DomainDeps, 'db'>,
  accountId: Buffer,
  candidates: readonly Program[],
): Promise<Set<bigint>> {
  if (candidates.length === 0) return new Set();
  const rows = await deps.db
    .select({ programId: grants.programId })
    .from(grants)
    .where(
      and(
        eq(grants.accountId, accountId),
        inArray(
          grants.programId,
          candidates.map((program) => program.id),
        ),
      ),
    );
  return new Set(rows.map((row) => row.programId));
}
