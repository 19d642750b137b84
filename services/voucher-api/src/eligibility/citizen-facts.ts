import type { CitizenRecord } from '../privacy/citizen-record.ts';
import type { EligibilityFacts } from './evaluate-eligibility.ts';

/** The part of a vault record eligibility rules may look at. */
export function factsFromRecord(record: CitizenRecord): EligibilityFacts {
  return {
    birthDate: record.birthDate,
    childrenBirthYears: record.childrenBirthYears,
    householdIncomeOre: record.householdIncomeOre === null ? null : BigInt(record.householdIncomeOre),
  };
}
