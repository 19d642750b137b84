import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AppError } from '../errors/app-error.ts';

/**
 * A program's eligibility rule, as stored in `programs.eligibility_rule` (jsonb) and sent over
 * the wire: every condition optional, all present conditions must hold. Money is a decimal
 * string of øre in JSON and a bigint once parsed.
 */
export const EligibilityRuleSchema = Type.Object(
  {
    ageYears: Type.Optional(
      Type.Object(
        {
          min: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
          max: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
        },
        {
          additionalProperties: false,
          description: 'Age in whole years on the reference date, both ends included.',
        },
      ),
    ),
    childrenBornBetween: Type.Optional(
      Type.Object(
        {
          fromYear: Type.Integer({ minimum: 1900, maximum: 2200 }),
          toYear: Type.Integer({ minimum: 1900, maximum: 2200 }),
          minCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
        },
        {
          additionalProperties: false,
          description: 'At least minCount (default 1) children born in these years.',
        },
      ),
    ),
    householdIncomeBelowOre: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,18}$',
        description: 'Yearly household income must be strictly below this (øre).',
      }),
    ),
  },
  { additionalProperties: false, $id: 'EligibilityRule' },
);

export type EligibilityRuleJson = Static<typeof EligibilityRuleSchema>;

export interface EligibilityRule {
  ageYears?: { min?: number; max?: number };
  childrenBornBetween?: { fromYear: number; toYear: number; minCount: number };
  householdIncomeBelowOre?: bigint;
}

/** JSON (from the database or a request) → a checked rule. Null means "everyone qualifies". */
export function parseEligibilityRule(json: unknown): EligibilityRule {
  if (json === null || json === undefined) {
    return {};
  }
  if (!Value.Check(EligibilityRuleSchema, json)) {
    throw new AppError('VALIDATION_FAILED', { field: 'eligibilityRule' });
  }
  const { ageYears, childrenBornBetween, householdIncomeBelowOre } = json;
  if (ageYears?.min !== undefined && ageYears.max !== undefined && ageYears.min > ageYears.max) {
    throw new AppError('VALIDATION_FAILED', { field: 'eligibilityRule.ageYears' });
  }
  if (childrenBornBetween && childrenBornBetween.fromYear > childrenBornBetween.toYear) {
    throw new AppError('VALIDATION_FAILED', { field: 'eligibilityRule.childrenBornBetween' });
  }
  return {
    ...(ageYears && { ageYears }),
    ...(childrenBornBetween && { childrenBornBetween: { minCount: 1, ...childrenBornBetween } }),
    ...(householdIncomeBelowOre !== undefined && {
      householdIncomeBelowOre: BigInt(householdIncomeBelowOre),
    }),
  };
}
