import type { Language } from './i18n.ts';

/** Øre as "1.500,00 kr." (da) or "DKK 1,500.00" (en), with integer arithmetic only. */
export function formatOre(ore: string | bigint, lang: Language): string {
  const value = typeof ore === 'bigint' ? ore : BigInt(ore);
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  const kroner = (absolute / 100n).toString();
  const rest = (absolute % 100n).toString().padStart(2, '0');
  const grouped = kroner.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'da' ? '.' : ',');
  const sign = negative ? '-' : '';
  return lang === 'da' ? `${sign}${grouped},${rest} kr.` : `${sign}DKK ${grouped}.${rest}`;
}

// Kroner as a shop assistant types them: "150", "150,5", "150,50", "1.500,00" (dots only as
// thousands separators, in groups of three). No sign, no exponent, at most two decimals.
const KRONER_PATTERN = /^(?<whole>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?<fraction>\d{1,2}))?$/;
/** Far above any voucher; keeps the value inside the contract's uint64 øre. */
const MAX_ORE = 10_000_000_00n;

export type AmountCheck = { ok: true; ore: bigint } | { ok: false; reason: 'format' | 'zero' | 'tooLarge' };

/** Parses kroner text into øre exactly (string digits to bigint; never a float). */
export function parseKroner(text: string): AmountCheck {
  const match = KRONER_PATTERN.exec(text.trim());
  if (!match?.groups) return { ok: false, reason: 'format' };
  const whole = BigInt((match.groups.whole ?? '0').replace(/\./g, ''));
  const fraction = BigInt((match.groups.fraction ?? '').padEnd(2, '0') || '0');
  const ore = whole * 100n + fraction;
  if (ore === 0n) return { ok: false, reason: 'zero' };
  if (ore > MAX_ORE) return { ok: false, reason: 'tooLarge' };
  return { ok: true, ore };
}

export function formatDate(iso: string, lang: Language): string {
  return new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', { day: 'numeric', month: 'long' }).format(
    new Date(iso),
  );
}

export function formatTime(iso: string, lang: Language): string {
  return new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** The device's local calendar day as YYYY-MM-DD (what "today" means at the counter). */
export function localDay(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The calendar day in Denmark (YYYY-MM-DD) of an instant, as the API's day lists are keyed. */
export function danishDay(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Copenhagen',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));
}
