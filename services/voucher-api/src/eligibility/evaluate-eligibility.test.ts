import { describe, expect, it } from 'vitest';
import { ageInYears, danishCalendarDate, evaluateEligibility } from './evaluate-eligibility.ts';
import { parseEligibilityRule } from './rule.ts';

const parent = { birthDate: '1990-06-15', childrenBirthYears: [2015, 2019], householdIncomeOre: 25_000_000n };

describe('evaluateEligibility', () => {
  it('treats a rule without conditions as open to everyone', () => {
    expect(evaluateEligibility({}, parent, '2027-01-01')).toEqual({
      eligible: true,
      reasons: ['NO_CONDITIONS'],
    });
  });

  it('checks the age on the reference date, birthday included', () => {
    const rule = { ageYears: { min: 18, max: 36 } };
    expect(evaluateEligibility(rule, parent, '2027-06-14').reasons).toEqual(['AGE_IN_RANGE']); // 36
    expect(evaluateEligibility(rule, parent, '2027-06-15')).toEqual({
      eligible: false,
      reasons: ['AGE_ABOVE_MAXIMUM'],
    }); // 37
    expect(evaluateEligibility(rule, { ...parent, birthDate: '2010-01-01' }, '2027-01-01').reasons).toEqual([
      'AGE_BELOW_MINIMUM',
    ]);
  });

  it('counts children born in the year range', () => {
    const rule = parseEligibilityRule({ childrenBornBetween: { fromYear: 2016, toYear: 2020 } });
    expect(evaluateEligibility(rule, parent, '2027-01-01')).toEqual({
      eligible: true,
      reasons: ['CHILDREN_IN_RANGE'],
    });
    const twoNeeded = parseEligibilityRule({
      childrenBornBetween: { fromYear: 2016, toYear: 2020, minCount: 2 },
    });
    expect(evaluateEligibility(twoNeeded, parent, '2027-01-01').reasons).toEqual([
      'TOO_FEW_CHILDREN_IN_RANGE',
    ]);
    expect(evaluateEligibility(rule, { ...parent, childrenBirthYears: [] }, '2027-01-01').eligible).toBe(
      false,
    );
  });

  it('requires income strictly below the threshold, in exact øre', () => {
    const rule = parseEligibilityRule({ householdIncomeBelowOre: '25000000' });
    expect(evaluateEligibility(rule, parent, '2027-01-01').reasons).toEqual(['INCOME_NOT_BELOW_THRESHOLD']);
    expect(
      evaluateEligibility(rule, { ...parent, householdIncomeOre: 24_999_999n }, '2027-01-01').reasons,
    ).toEqual(['INCOME_BELOW_THRESHOLD']);
    expect(evaluateEligibility(rule, { ...parent, householdIncomeOre: null }, '2027-01-01')).toEqual({
      eligible: false,
      reasons: ['INCOME_UNKNOWN'],
    });
  });

  it('needs every condition and reports each one', () => {
    const rule = parseEligibilityRule({
      ageYears: { min: 18 },
      childrenBornBetween: { fromYear: 2010, toYear: 2020 },
      householdIncomeBelowOre: '20000000',
    });
    expect(evaluateEligibility(rule, parent, '2027-01-01')).toEqual({
      eligible: false,
      reasons: ['AGE_IN_RANGE', 'CHILDREN_IN_RANGE', 'INCOME_NOT_BELOW_THRESHOLD'],
    });
  });
});

describe('parseEligibilityRule', () => {
  it('reads null as no conditions and money as bigint', () => {
    expect(parseEligibilityRule(null)).toEqual({});
    expect(parseEligibilityRule({ householdIncomeBelowOre: '12550' })).toEqual({
      householdIncomeBelowOre: 12550n,
    });
  });

  it.each([
    { unknown: true },
    { ageYears: { min: 40, max: 30 } },
    { ageYears: { min: 1.5 } },
    { childrenBornBetween: { fromYear: 2020, toYear: 2010 } },
    { householdIncomeBelowOre: '125.50' },
    { householdIncomeBelowOre: -1 },
    'everyone',
  ])('rejects %j', (json) => {
    expect(() => parseEligibilityRule(json)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});

describe('ageInYears', () => {
  it('handles leap-day birthdays', () => {
    expect(ageInYears('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageInYears('2008-02-29', '2026-03-01')).toBe(18);
  });
});

describe('danishCalendarDate', () => {
  it('uses the Danish day, not the UTC one', () => {
    expect(danishCalendarDate(new Date('2027-01-01T23:30:00Z'))).toBe('2027-01-02');
    expect(danishCalendarDate(new Date('2027-07-01T21:59:00Z'))).toBe('2027-07-01');
    expect(danishCalendarDate(new Date('2027-07-01T22:00:00Z'))).toBe('2027-07-02');
  });
});
