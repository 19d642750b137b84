const COPENHAGEN = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface LocalParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

function localParts(date: Date): LocalParts {
  const parts = Object.fromEntries(COPENHAGEN.formatToParts(date).map((part) => [part.type, part.value]));
  return parts as unknown as LocalParts;
}

/** The calendar date in Copenhagen, `YYYY-MM-DD` (a bank executes on the local date, not UTC's). */
export function copenhagenDate(date: Date): string {
  const p = localParts(date);
  return `${p.year}-${p.month}-${p.day}`;
}

/**
 * Copenhagen wall-clock time with its offset, `YYYY-MM-DDThh:mm:ss+01:00` in winter and
 * `+02:00` in summer, whole seconds: an ISODateTime a bank cannot read in the wrong zone.
 */
export function copenhagenDateTime(date: Date): string {
  const p = localParts(date);
  const wholeSecondsMs = Math.floor(date.getTime() / 1000) * 1000;
  const localAsUtcMs = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  const offsetMinutes = Math.round((localAsUtcMs - wholeSecondsMs) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
