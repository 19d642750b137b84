import type { Redemption } from '@voucher/db';
import type { DomainDeps } from '../deps.ts';
import { readOpenPeriod } from '../periods/chain-access.ts';
import type { SignedRedemption } from '../redemptions/terminal-signature.ts';
import { providerReversalTotals, totalsOf } from './list-reversals.ts';
import { reversibleOre } from './reversal-facts.ts';
import { signedOriginal } from './reversal-signature.ts';

/** What the scanner's day list needs to offer a void or a refund of a line. */
export interface ReversalStanding {
  /** Given back and confirmed. */
  reversedOre: bigint;
  /** What a new refund may give back (pending reversals hold their amount). */
  reversibleOre: bigint;
  /** Confirmed, in the municipality's open period, and nothing given back yet: a void lands. */
  voidable: boolean;
  /** The redemption exactly as the terminal signed it: a reversal's signature embeds it. */
  signed: SignedRedemption;
}

/**
 * The reversal standing of a provider's redemptions (made since `since`), with one chain read
 * of the open period per municipality in the list. Without a chain nothing is voidable: a
 * refund still is, and the chain decides it when it can be reached again.
 */
export async function reversalStandings(
  deps: DomainDeps,
  providerId: number,
  since: Date,
  lines: readonly { redemption: Redemption; municipalityId: number }[],
): Promise<ReversalStanding[]> {
  const totals = await providerReversalTotals(deps, providerId, since);
  const municipalities = [...new Set(lines.map((line) => line.municipalityId))];
  const openPeriods = new Map(
    await Promise.all(municipalities.map(async (id) => [id, await openPeriodOf(deps, id)] as const)),
  );
  return lines.map(({ redemption, municipalityId }) => {
    const total = totalsOf(totals, redemption);
    const open = openPeriods.get(municipalityId);
    return {
      reversedOre: total.reversedOre,
      reversibleOre: reversibleOre(redemption, total.heldOre),
      voidable:
        redemption.status === 'confirmed' &&
        open !== undefined &&
        redemption.periodId === open &&
        total.count === 0,
      signed: signedOriginal(redemption),
    };
  });
}

async function openPeriodOf(deps: DomainDeps, municipalityId: number): Promise<bigint | undefined> {
  if (!deps.chain) return undefined;
  try {
    return BigInt((await readOpenPeriod(deps.chain, municipalityId)).periodId);
  } catch {
    return undefined;
  }
}
