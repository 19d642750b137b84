import { citizens } from '@voucher/db';
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { openCitizenRecord, vaultKeyring } from '../privacy/citizen-record.ts';
import { accountOfCitizen } from '../privacy/read-citizen.ts';
import { factsFromRecord } from './citizen-facts.ts';
import { danishCalendarDate, evaluateEligibility } from './evaluate-eligibility.ts';
import { findPublishedProgram, recordGrant } from './grant-program.ts';
import { parseEligibilityRule } from './rule.ts';

export interface BulkGrantResult {
  programId: string;
  granted: number;
  alreadyGranted: number;
  notEligible: number;
  /** Stopped early because the program's budget ran out; fund it and run again. */
  budgetExhausted: boolean;
}

const PAGE_SIZE = 200;

/**
 * Grants a program to every eligible citizen of the municipality. Each grant is its own
 * transaction, and already-granted people are skipped by the person key, so a run that
 * stops half-way (crash, budget) is simply run again.
 */
export async function bulkGrant(
  deps: DomainDeps,
  actor: AccessClaims,
  programId: bigint,
): Promise<BulkGrantResult> {
  const program = await findPublishedProgram(deps, actor, programId);
  const rule = parseEligibilityRule(program.eligibilityRule);
  const keyring = vaultKeyring(deps.config);
  const today = danishCalendarDate(deps.now());
  const result: BulkGrantResult = {
    programId: program.id.toString(),
    granted: 0,
    alreadyGranted: 0,
    notEligible: 0,
    budgetExhausted: false,
  };
  let afterId = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await deps.db
      .select()
      .from(citizens)
      .where(
        and(
          eq(citizens.municipalityId, program.municipalityId),
          isNull(citizens.erasedAt),
          gt(citizens.id, afterId),
        ),
      )
      .orderBy(asc(citizens.id))
      .limit(PAGE_SIZE);
    for (const citizen of page) {
      const record = openCitizenRecord(keyring, citizen);
      if (!evaluateEligibility(rule, factsFromRecord(record), today).eligible) {
        result.notEligible++;
        continue;
      }
      const outcome = await grantOne(() =>
        accountOfCitizen(deps, citizen).then((account) =>
          recordGrant(deps, actor, { citizen, record, account, program }),
        ),
      );
      if (outcome === 'budget') return { ...result, budgetExhausted: true };
      result[outcome]++;
    }
    if (page.length < PAGE_SIZE) return result;
    afterId = page[page.length - 1]?.id ?? afterId;
  }
}

async function grantOne(run: () => Promise<unknown>): Promise<'granted' | 'alreadyGranted' | 'budget'> {
  try {
    await run();
    return 'granted';
  } catch (error) {
    if (error instanceof AppError && error.code === 'GRANT_ALREADY_GIVEN') return 'alreadyGranted';
    if (error instanceof AppError && error.code === 'PROGRAM_BUDGET_EXCEEDED') return 'budget';
    throw error;
  }
}
