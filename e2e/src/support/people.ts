import { randomInt } from 'node:crypto';

/** A CPR number of someone born 1980-1998 (no modulus-11 check since 2007), unlikely to repeat. */
export function randomCpr(): string {
  const day = String(randomInt(1, 29)).padStart(2, '0');
  const month = String(randomInt(1, 13)).padStart(2, '0');
  const year = String(randomInt(80, 99));
  return `${day}${month}${year}-${randomInt(1, 4)}${String(randomInt(0, 1000)).padStart(3, '0')}`;
}
