import { electronicFormatIBAN, friendlyFormatIBAN, isValidIBAN } from 'ibantools';
import { AppError } from '../errors/app-error.ts';

/**
 * Identifiers a provider gives at onboarding. Both are checked locally (no registry lookup):
 * a typo must be caught at the form, not when the bank file is rejected a month later.
 */

const CVR_PATTERN = /^[1-9]\d{7}$/;
const CVR_WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 1] as const;

/** CVR number: 8 digits, no leading 0, weighted digit sum divisible by 11. Returns the 8 digits. */
export function parseCvr(text: string): string {
  const digits = typeof text === 'string' ? text.trim() : '';
  if (!CVR_PATTERN.test(digits) || weightedSum(digits) % 11 !== 0) {
    throw new AppError('CVR_INVALID');
  }
  return digits;
}

function weightedSum(digits: string): number {
  let sum = 0;
  for (let index = 0; index < CVR_WEIGHTS.length; index++) {
    sum += Number(digits[index]) * (CVR_WEIGHTS[index] as number);
  }
  return sum;
}

export interface DanishIban {
  /** Electronic format, as the pain.001 file needs it: "DK5000400440116243". */
  electronic: string;
  /** Grouped by four, for people: "DK50 0040 0440 1162 43". */
  friendly: string;
}

// Only letters, digits and spaces: ibantools would also strip dashes and dots, which would
// let obviously mistyped input through.
const IBAN_INPUT_PATTERN = /^[A-Za-z0-9 ]+$/;
const DANISH_IBAN_LENGTH = 18;

/** A Danish IBAN (DK, 18 characters, valid checksum), spaces and lowercase accepted. */
export function parseDanishIban(text: string): DanishIban {
  if (typeof text !== 'string' || !IBAN_INPUT_PATTERN.test(text.trim())) {
    throw new AppError('IBAN_INVALID');
  }
  const electronic = electronicFormatIBAN(text.trim()) ?? '';
  if (!electronic.startsWith('DK') || electronic.length !== DANISH_IBAN_LENGTH || !isValidIBAN(electronic)) {
    throw new AppError('IBAN_INVALID');
  }
  return { electronic, friendly: friendlyFormatIBAN(electronic) ?? electronic };
}
