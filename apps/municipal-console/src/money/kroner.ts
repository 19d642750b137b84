/**
 * Money in the console is øre held as a bigint, and travels as a decimal string of øre.
 * Staff type kroner the Danish way ("1.500,50") or, with English chosen, "1,500.50"; both
 * are parsed exactly with string arithmetic. A float never decides an amount.
 */
export type MoneyLocale = 'da' | 'en';

const ORE_PER_KRONE = 100n;
const SEPARATORS: Record<MoneyLocale, { group: string; decimal: string }> = {
  da: { group: '.', decimal: ',' },
  en: { group: ',', decimal: '.' },
};

/**
 * Parses kroner typed by a person into øre, or returns undefined when the text is not an
 * amount: thousands separators must group by three, at most two decimals, no sign. A space
 * as thousands separator and a trailing "kr."/"DKK" are tolerated because people paste them.
 */
export function parseKronerInput(text: string, locale: MoneyLocale): bigint | undefined {
  const { group, decimal } = SEPARATORS[locale];
  const cleaned = text
    .trim()
    .replace(/^(dkk|kr\.?)\s*/i, '')
    .replace(/\s*(kr\.?|dkk)$/i, '')
    .replace(/[\s\u00a0]/g, '');
  const groupPattern = escapeForRegExp(group);
  const decimalPattern = escapeForRegExp(decimal);
  const pattern = new RegExp(`^(\\d{1,3}(?:${groupPattern}\\d{3})+|\\d+)(?:${decimalPattern}(\\d{1,2}))?$`);
  const match = pattern.exec(cleaned);
  if (!match) return undefined;
  const [, whole = '0', fraction = ''] = match;
  const wholeKroner = BigInt(whole.split(group).join(''));
  return wholeKroner * ORE_PER_KRONE + BigInt(fraction.padEnd(2, '0'));
}

/** Formats øre as "1.500,00 kr." (Danish) or "DKK 1,500.00" (English). */
export function formatOre(amountOre: bigint | string, locale: MoneyLocale): string {
  const ore = typeof amountOre === 'bigint' ? amountOre : BigInt(amountOre);
  const negative = ore < 0n;
  const absolute = negative ? -ore : ore;
  const { group, decimal } = SEPARATORS[locale];
  const whole = groupThousands((absolute / ORE_PER_KRONE).toString(), group);
  const fraction = (absolute % ORE_PER_KRONE).toString().padStart(2, '0');
  const sign = negative ? '-' : '';
  return locale === 'da'
    ? `${sign}${whole}${decimal}${fraction} kr.`
    : `${sign}DKK ${whole}${decimal}${fraction}`;
}

/**
 * Kroner as a plain number for chart axes only: charts draw, they never compute amounts that
 * are paid, so the precision a double gives over realistic budgets is enough there.
 */
export function oreToChartKroner(amountOre: string): number {
  const ore = BigInt(amountOre);
  return Number(ore / ORE_PER_KRONE) + Number(ore % ORE_PER_KRONE) / 100;
}

function groupThousands(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
