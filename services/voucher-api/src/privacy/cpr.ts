import { AppError } from '../errors/app-error.ts';

/**
 * Danish CPR number: DDMMYY-SSSS. The first digit of the serial (the 7th digit) together
 * with the two-digit year tells the century. Since 2007 numbers are issued without a valid
 * modulus-11 check digit, so that check is deliberately NOT applied here.
 *
 * Errors never repeat the number: it is personal data and must not reach logs or clients.
 */
export interface Cpr {
  /** Ten digits, no separator: the form used for the blind index and the vault. */
  normalised: string;
  /** ISO date (YYYY-MM-DD) embedded in the number. */
  birthDate: string;
  /** From the parity of the last digit (odd = male), as the CPR register defines it. */
  sex: 'female' | 'male';
}

const CPR_PATTERN = /^(\d{2})(\d{2})(\d{2})-?(\d)(\d{3})$/;

export function parseCpr(text: string): Cpr {
  const match = typeof text === 'string' ? CPR_PATTERN.exec(text.trim()) : null;
  if (!match) {
    throw new AppError('CPR_INVALID');
  }
  const [, day = '', month = '', shortYear = '', centuryDigit = '', rest = ''] = match;
  const year = fullYear(Number(centuryDigit), Number(shortYear));
  if (!isRealDate(year, Number(month), Number(day))) {
    throw new AppError('CPR_INVALID');
  }
  const lastDigit = Number(rest.at(-1));
  return {
    normalised: `${day}${month}${shortYear}${centuryDigit}${rest}`,
    birthDate: `${year}-${month}-${day}`,
    sex: lastDigit % 2 === 1 ? 'male' : 'female',
  };
}

/** The CPR register's century table (Indenrigsministeriet, "Personnummeret i CPR"). */
function fullYear(seventhDigit: number, shortYear: number): number {
  if (seventhDigit <= 3) {
    return 1900 + shortYear;
  }
  if (seventhDigit === 4 || seventhDigit === 9) {
    return shortYear <= 36 ? 2000 + shortYear : 1900 + shortYear;
  }
  // 5 to 8
  return shortYear <= 57 ? 2000 + shortYear : 1800 + shortYear;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) {
    return false;
  }
  // Day 0 of the next month is the last day of this one; UTC avoids DST surprises.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}
