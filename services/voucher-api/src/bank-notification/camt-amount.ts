/**
 * An ISO 20022 amount (ActiveOrHistoricCurrencyAndAmount: a decimal of at most 18 digits, 5
 * of them after the point) as øre, exactly. The text is split at the point and each side read
 * as an integer, so "1500.50", "99.5" and "0.01" become 150050n, 9950n and 1n without ever
 * passing through a float. Decimals beyond the øre must be zeros: "12.345" is not an amount
 * a DKK account can book. Returns undefined for anything else, and the caller names where.
 */
const AMOUNT_PATTERN = /^(\d+)(?:\.(\d{1,5}))?$/;
const MAX_DIGITS = 18;

export function camtAmountToOre(text: string): bigint | undefined {
  const match = AMOUNT_PATTERN.exec(text);
  if (!match) return undefined;
  const [, whole = '', fraction = ''] = match;
  if (whole.length + fraction.length > MAX_DIGITS) return undefined;
  if (/[1-9]/.test(fraction.slice(2))) return undefined;
  // "99.5" is 99 kroner and 50 øre: the fraction is padded to two digits before reading it.
  return BigInt(whole) * 100n + BigInt(fraction.slice(0, 2).padEnd(2, '0'));
}
