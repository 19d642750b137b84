import { describe, expect, it } from 'vitest';
import { parseCpr } from './cpr.ts';
import { EMPTY_ENROL_FORM, enrolBody, validateEnrolForm } from './enrol-validation.ts';

const valid = {
  ...EMPTY_ENROL_FORM,
  cpr: '150390-1234',
  name: 'Test Testesen',
  street: 'Prøvevej 1',
  postalCode: '8000',
  city: 'Aarhus C',
  birthDate: '1990-03-15',
  childrenBirthYears: '2016, 2019',
  email: 'test@example.invalid',
};

describe('parseCpr', () => {
  it('reads the date and the century like the CPR register', () => {
    expect(parseCpr('150390-1234')?.birthDate).toBe('1990-03-15');
    expect(parseCpr('0101154000')?.birthDate).toBe('2015-01-01');
    expect(parseCpr('0101605000')?.birthDate).toBe('1860-01-01');
    expect(parseCpr('290200-4000')?.birthDate).toBe('2000-02-29');
  });

  it('refuses impossible dates and wrong shapes', () => {
    for (const text of ['310490-1234', '290201-4000', '1503901234x', '15039-1234', '']) {
      expect(parseCpr(text), text).toBeUndefined();
    }
  });
});

describe('validateEnrolForm', () => {
  it('accepts a complete form and builds the API body', () => {
    expect(validateEnrolForm(valid)).toEqual({});
    expect(enrolBody(valid)).toEqual({
      cpr: '150390-1234',
      name: 'Test Testesen',
      address: { street: 'Prøvevej 1', postalCode: '8000', city: 'Aarhus C' },
      birthDate: '1990-03-15',
      childrenBirthYears: [2016, 2019],
      contact: { email: 'test@example.invalid' },
    });
  });

  it('names every problem at once', () => {
    expect(validateEnrolForm(EMPTY_ENROL_FORM)).toMatchObject({
      cpr: 'required',
      name: 'required',
      street: 'required',
      postalCode: 'required',
      city: 'required',
      birthDate: 'required',
    });
    expect(
      validateEnrolForm({
        ...valid,
        cpr: '320190-1234',
        postalCode: '800',
        childrenBirthYears: '16',
        email: 'nope',
        phone: 'abc',
      }),
    ).toEqual({
      cpr: 'cprInvalid',
      postalCode: 'postalCodeInvalid',
      childrenBirthYears: 'yearsInvalid',
      email: 'emailInvalid',
      phone: 'phoneInvalid',
    });
  });

  it('sends the household income as exact øre, and refuses a malformed amount', () => {
    expect(enrolBody({ ...valid, householdIncome: '285.000,50' }).householdIncomeOre).toBe('28500050');
    expect(enrolBody(valid).householdIncomeOre).toBeUndefined();
    expect(validateEnrolForm({ ...valid, householdIncome: '285,000.50' })).toEqual({
      householdIncome: 'amountInvalid',
    });
    expect(enrolBody({ ...valid, householdIncome: '285,000.50' }, 'en').householdIncomeOre).toBe('28500050');
  });

  it('catches a birth date that does not match the CPR number', () => {
    expect(validateEnrolForm({ ...valid, birthDate: '1990-03-16' })).toEqual({
      birthDate: 'birthDateMismatch',
    });
  });
});
