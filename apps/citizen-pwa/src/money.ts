import type { Language } from './i18n.ts';

/**
 * Øre (a decimal string or bigint) as Danish or English kroner text: "1.500,00 kr." or
 * "DKK 1,500.00". Integer arithmetic only: a float would round some amounts wrongly.
 */
export function formatOre(ore: string | bigint, lang: Language): string {
  const value = typeof ore === 'bigint' ? ore : BigInt(ore);
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  const kroner = (absolute / 100n).toString();
  const ore2 = (absolute % 100n).toString().padStart(2, '0');
  const grouped = kroner.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'da' ? '.' : ',');
  const sign = negative ? '-' : '';
  return lang === 'da' ? `${sign}${grouped},${ore2} kr.` : `${sign}DKK ${grouped}.${ore2}`;
}

export function formatDate(iso: string, lang: Language): string {
  return new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', { day: 'numeric', month: 'long' }).format(
    new Date(iso),
  );
}

/** Program validity days are whole UTC days (validFrom/validUntil are UTC midnights). */
export function formatDateWithYear(iso: string, lang: Language): string {
  return new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(iso));
}

export function formatDateTime(iso: string | number, lang: Language): string {
  return new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

export function formatTime(when: number, lang: Language): string {
  return new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(new Date(when));
}
