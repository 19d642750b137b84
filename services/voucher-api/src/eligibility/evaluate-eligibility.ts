import type { EligibilityRule } from './rule.ts';

/**
 * Decides from vault data whether a person qualifies for a program on a given day. The
 * reasons are stable codes (one per condition checked), so the console can explain the
 * outcome in Danish or English and an audit can record it without personal data.
 */
export interface EligibilityFacts {
  /** ISO date, from the vault (it matches the CPR's embedded date). */
  birthDate: string;
  childrenBirthYears: readonly number[];
  /** Yearly household income in øre; null when the caseworker did not record it. */
  householdIncomeOre: bigint | null;
}

export type EligibilityReason =
  | 'NO_CONDITIONS'
  | 'AGE_IN_RANGE'
  | 'AGE_BELOW_MINIMUM'
  | 'AGE_ABOVE_MAXIMUM'
  | 'CHILDREN_IN_RANGE'
  | 'TOO_FEW_CHILDREN_IN_RANGE'
  | 'INCOME_BELOW_THRESHOLD'
  | 'INCOME_NOT_BELOW_THRESHOLD'
  | 'INCOME_UNKNOWN';

export interface EligibilityResult {
  eligible: boolean;
  reasons: EligibilityReason[];
}

const MET: ReadonlySet<EligibilityReason> = new Set([
  'NO_CONDITIONS',
  'AGE_IN_RANGE',
  'CHILDREN_IN_RANGE',
  'INCOME_BELOW_THRESHOLD',
]);

/** `onDate` is a calendar date (YYYY-MM-DD) in Denmark; see `danishCalendarDate`. */
export function evaluateEligibility(
  rule: EligibilityRule,
  person: EligibilityFacts,
  onDate: string,
): EligibilityResult {
  const reasons: EligibilityReason[] = [];
  if (rule.ageYears) {
    reasons.push(checkAge(rule.ageYears, ageInYears(person.birthDate, onDate)));
  }
  if (rule.childrenBornBetween) {
    reasons.push(checkChildren(rule.childrenBornBetween, person.childrenBirthYears));
  }
  if (rule.householdIncomeBelowOre !== undefined) {
    reasons.push(checkIncome(rule.householdIncomeBelowOre, person.householdIncomeOre));
  }
  if (reasons.length === 0) {
    reasons.push('NO_CONDITIONS');
  }
  return { eligible: reasons.every(isMet), reasons };
}

/** Whether a reason says a condition holds (as opposed to why it does not). */
export function isMet(reason: EligibilityReason): boolean {
  return MET.has(reason);
}

function checkAge(range: { min?: number; max?: number }, age: number): EligibilityReason {
  if (range.min !== undefined && age < range.min) return 'AGE_BELOW_MINIMUM';
  if (range.max !== undefined && age > range.max) return 'AGE_ABOVE_MAXIMUM';
  return 'AGE_IN_RANGE';
}

function checkChildren(
  range: { fromYear: number; toYear: number; minCount: number },
  birthYears: readonly number[],
): EligibilityReason {
  const inRange = birthYears.filter((year) => year >= range.fromYear && year <= range.toYear).length;
  return inRange >= range.minCount ? 'CHILDREN_IN_RANGE' : 'TOO_FEW_CHILDREN_IN_RANGE';
}

function checkIncome(thresholdOre: bigint, incomeOre: bigint | null): EligibilityReason {
  // No recorded income is not "zero income": the caseworker must record it before granting.
  if (incomeOre === null) return 'INCOME_UNKNOWN';
  return incomeOre < thresholdOre ? 'INCOME_BELOW_THRESHOLD' : 'INCOME_NOT_BELOW_THRESHOLD';
}

/** Whole years on `onDate`; a person born on 29 February ages on 1 March in other years. */
export function ageInYears(birthDate: string, onDate: string): number {
  const [birthYear, birthMonth, birthDay] = birthDate.split('-').map(Number) as [number, number, number];
  const [year, month, day] = onDate.split('-').map(Number) as [number, number, number];
  const hadBirthday = month > birthMonth || (month === birthMonth && day >= birthDay);
  return year - birthYear - (hadBirthday ? 0 : 1);
}

const DANISH_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date as people in Denmark see it, "YYYY-MM-DD" (en-CA formats ISO-style). */
export function danishCalendarDate(now: Date): string {
  return DANISH_DAY.format(now);
}
