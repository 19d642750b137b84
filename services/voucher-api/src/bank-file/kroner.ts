/** Øre as kroner with exactly two decimals ("12550" -> "125.50"), exact for any size. */
export function formatKroner(ore: bigint): string {
  if (ore < 0n) throw new RangeError('negative amounts have no place in a credit transfer');
  const text = ore.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}
