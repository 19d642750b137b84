import { AppError } from '../errors/app-error.ts';

/**
 * Money is an integer number of øre (1 kr. = 100 øre) held as a bigint, end to end. These
 * helpers turn wire strings into øre exactly and back into the text people read. No floats
 * anywhere: `0.1 + 0.2` must never decide how much a citizen is paid.
 */

const ORE_PATTERN = /^\d{1,30}$/;
// Whole kroner, optionally followed by one decimal separator and one or two digits.
const KRONER_PATTERN = /^(\d{1,28})(?:[.,](\d{1,2}))?$/;
const ORE_PER_KRONE = 100n;

/** Parses an øre amount given as digits only ("12550" → 12550n). */
export function parseOre(text: string): bigint {
  if (typeof text !== 'string' || !ORE_PATTERN.test(text)) {
    throw new AppError('AMOUNT_INVALID');
  }
  return BigInt(text);
}

/** Parses kroner with "." or "," as decimal separator ("125,50" → 12550n), at most 2 decimals. */
export function parseKroner(text: string): bigint {
  const match = typeof text === 'string' ? KRONER_PATTERN.exec(text) : null;
  if (!match) {
    throw new AppError('AMOUNT_INVALID');
  }
  const [, wholeKroner = '0', fraction = ''] = match;
  // "125.5" means 50 øre, not 5: pad the fraction to two digits before reading it.
  return BigInt(wholeKroner) * ORE_PER_KRONE + BigInt(fraction.padEnd(2, '0'));
}

/** Formats øre the way Danish and English readers expect: "1.500,00 kr." / "DKK 1,500.00". */
export function formatKroner(amountOre: bigint, locale: 'da' | 'en'): string {
  const negative = amountOre < 0n;
  const absoluteOre = negative ? -amountOre : amountOre;
  const wholeKroner = (absoluteOre / ORE_PER_KRONE).toString();
  const fraction = (absoluteOre % ORE_PER_KRONE).toString().padStart(2, '0');
  const sign = negative ? '-' : '';
  if (locale === 'da') {
    return `${sign}${groupThousands(wholeKroner, '.')},${fraction} kr.`;
  }
  return `${sign}DKK ${groupThousands(wholeKroner, ',')}.${fraction}`;
}

function groupThousands(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}
