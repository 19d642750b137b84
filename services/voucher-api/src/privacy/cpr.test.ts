import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.ts';
import { parseCpr } from './cpr.ts';

function catchError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('parseCpr', () => {
  it('accepts the hyphenated and the plain form alike', () => {
    expect(parseCpr('010190-1234')).toEqual({
      normalised: '0101901234',
      birthDate: '1990-01-01',
      sex: 'female',
    });
    expect(parseCpr('0101901234').normalised).toBe('0101901234');
  });

  it('ignores surrounding whitespace from copy and paste', () => {
    expect(parseCpr(' 010190-1234 ').normalised).toBe('0101901234');
  });

  it('reads the sex from the parity of the last digit', () => {
    expect(parseCpr('010190-1233').sex).toBe('male');
    expect(parseCpr('010190-1234').sex).toBe('female');
  });

  it.each([
    ['0101990123', '1999-01-01'], // 7th digit 0: 1900s
    ['0101993123', '1999-01-01'], // 7th digit 3: 1900s
    ['0101104123', '2010-01-01'], // 4, year <= 36: 2000s
    ['0101504123', '1950-01-01'], // 4, year >= 37: 1900s
    ['0101205123', '2020-01-01'], // 5-8, year <= 57: 2000s
    ['0101608123', '1860-01-01'], // 5-8, year >= 58: 1800s
    ['0101369123', '2036-01-01'], // 9, year <= 36: 2000s
    ['0101379123', '1937-01-01'], // 9, year >= 37: 1900s
  ])('places %s in the right century (%s)', (cpr, birthDate) => {
    expect(parseCpr(cpr).birthDate).toBe(birthDate);
  });

  it('does not apply the modulus 11 check (abolished in 2007)', () => {
    // 0101901234 fails modulus 11, yet such numbers exist since 2007.
    expect(() => parseCpr('0101901234')).not.toThrow();
  });

  it('accepts 29 February only in leap years, century included', () => {
    expect(parseCpr('290200-4123').birthDate).toBe('2000-02-29');
    expect(() => parseCpr('290200-1123')).toThrow(AppError); // 1900 was not a leap year
    expect(parseCpr('290296-1123').birthDate).toBe('1996-02-29');
  });

  it.each([
    '',
    '010190123',
    '01019012345',
    '010190 1234',
    '010190--1234',
    'O10190-1234',
    '320190-1234',
    '000190-1234',
    '011390-1234',
    '010090-1234',
    '310490-1234',
    '+010190-1234',
    '0101901234x',
  ])('rejects %j', (text) => {
    expect(catchError(() => parseCpr(text)).code).toBe('CPR_INVALID');
  });

  it('never echoes the number in the error', () => {
    const error = catchError(() => parseCpr('320190-1234'));
    expect(error.message).not.toContain('320190');
    expect(JSON.stringify(error.details ?? {})).not.toContain('320190');
  });
});
