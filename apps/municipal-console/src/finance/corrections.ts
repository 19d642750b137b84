import type { PeriodCorrections } from '../api/types.ts';

export interface ProviderCorrections {
  providerId: number;
  providerName: string;
  count: number;
  voidedOre: bigint;
  refundedOre: bigint;
  fromClaimOre: bigint;
  receivableOre: bigint;
}

/** A period's voids and refunds summed per provider, in the order providers first appear. */
export function correctionsByProvider(report: PeriodCorrections): ProviderCorrections[] {
  const byProvider = new Map<number, ProviderCorrections>();
  for (const reversal of report.reversals) {
    const row = byProvider.get(reversal.providerId) ?? {
      providerId: reversal.providerId,
      providerName: reversal.providerName,
      count: 0,
      voidedOre: 0n,
      refundedOre: 0n,
      fromClaimOre: 0n,
      receivableOre: 0n,
    };
    row.count += 1;
    if (reversal.kind === 'void') row.voidedOre += BigInt(reversal.amountOre);
    else row.refundedOre += BigInt(reversal.amountOre);
    row.fromClaimOre += BigInt(reversal.fromClaimOre);
    row.receivableOre += BigInt(reversal.receivableOre);
    byProvider.set(reversal.providerId, row);
  }
  return [...byProvider.values()];
}

/**
 * Whether the report's lines add up to its totals; a report that does not is shown with a
 * warning rather than trusted.
 */
export function totalsAgree(report: PeriodCorrections): boolean {
  let voided = 0n;
  let refunded = 0n;
  let receivable = 0n;
  for (const reversal of report.reversals) {
    if (reversal.kind === 'void') voided += BigInt(reversal.amountOre);
    else refunded += BigInt(reversal.amountOre);
    receivable += BigInt(reversal.receivableOre);
  }
  return (
    voided === BigInt(report.totals.voidedOre) &&
    refunded === BigInt(report.totals.refundedOre) &&
    receivable === BigInt(report.totals.receivableOre)
  );
}

/** A redemption from an earlier period refunded in this one: its money came from a later claim. */
export function isFromEarlierPeriod(
  reversal: PeriodCorrections['reversals'][number],
  periodId: number | string,
): boolean {
  return reversal.originalPeriodId !== null && String(reversal.originalPeriodId) !== String(periodId);
}
