/**
 * The same CPR checks the API makes (services/voucher-api/src/privacy/cpr.ts), so a
 * caseworker learns of a typo before anything is sent: DDMMYY-SSSS or ten digits, a real
 * date, the century from the 7th digit. No modulus-11 check: numbers issued since 2007
 * need not pass it.
 */
const CPR_PATTERN = /^(\d{2})(\d{2})(\d{2})-?(\d)(\d{3})$/;

export interface ParsedCpr {
  /** Ten digits, as sent to the API. */
  normalised: string;
  /** YYYY-MM-DD embedded in the number. */
  birthDate: string;
}

export function parseCpr(text: string): ParsedCpr | undefined {
  const match = CPR_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, day = '', month = '', shortYear = '', centuryDigit = '', rest = ''] = match;
  const year = fullYear(Number(centuryDigit), Number(shortYear));
  if (!isRealDate(year, Number(month), Number(day))) return undefined;
  return {
    normalised: `${day}${month}${shortYear}${centuryDigit}${rest}`,
    birthDate: `${year}-${month}-${day}`,
  };
}

/** The CPR register's century table. */
function fullYear(seventhDigit: number, shortYear: number): number {
  if (seventhDigit <= 3) return 1900 + shortYear;
  if (seventhDigit === 4 || seventhDigit === 9) return shortYear <= 36 ? 2000 + shortYear : 1900 + shortYear;
  return shortYear <= 57 ? 2000 + shortYear : 1800 + shortYear;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
