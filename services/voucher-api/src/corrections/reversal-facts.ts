import { programs, type RedemptionReversal, redemptionReversals, redemptions, terminals } from '@voucher/db';
import { and, eq, sql } from 'drizzle-orm';
import type { DomainDeps } from '../deps.ts';

export interface ReversalKey {
  /** The original redemption: its terminal (lower case) and id. */
  originalTerminal: string;
  originalRedemptionId: bigint;
  /** The terminal that signs the reversal (lower case), and the id it uses for it. */
  terminal: string;
  reversalId: bigint;
}

/**
 * Everything a reversal request is judged on, in one query: the original redemption with its
 * program's municipality, an earlier reversal with this id, the signing terminal, whether the
 * terminal used the id for a redemption, and how much of the original is already given back
 * or on its way (pending reversals count: two refunds must not both take the last krone).
 * Undefined when the original does not exist.
 */
export async function reversalFacts(deps: Pick<DomainDeps, 'db'>, key: ReversalKey) {
  const [row] = await deps.db
    .select({
      original: redemptions,
      municipalityId: programs.municipalityId,
      earlier: redemptionReversals,
      signingTerminal: { providerId: terminals.providerId, status: terminals.status },
      idUsedByRedemption: sql<boolean>`EXISTS (SELECT 1 FROM ${redemptions} AS used
        WHERE used.terminal = ${key.terminal} AND used.redemption_id = ${key.reversalId.toString()}::bigint)`,
      heldOre: heldOreOf(redemptions.terminal, redemptions.redemptionId),
    })
    .from(redemptions)
    .innerJoin(programs, eq(programs.id, redemptions.programId))
    .leftJoin(
      redemptionReversals,
      and(eq(redemptionReversals.terminal, key.terminal), eq(redemptionReversals.reversalId, key.reversalId)),
    )
    .leftJoin(terminals, eq(terminals.address, key.terminal))
    .where(
      and(
        eq(redemptions.terminal, key.originalTerminal),
        eq(redemptions.redemptionId, key.originalRedemptionId),
      ),
    );
  return row && { ...row, heldOre: BigInt(row.heldOre) };
}

export type ReversalFacts = NonNullable<Awaited<ReturnType<typeof reversalFacts>>>;

/** Øre of a redemption given back or on its way back (pending and confirmed reversals), as text. */
export function heldOreOf(terminal: unknown, redemptionId: unknown) {
  return sql<string>`(SELECT coalesce(sum(held.amount_ore), 0)::text FROM ${redemptionReversals} AS held
    WHERE held.original_terminal = ${terminal} AND held.original_redemption_id = ${redemptionId}
      AND held.status IN ('pending', 'confirmed'))`;
}

/** What can still be given back of a confirmed redemption; nothing of one that is not confirmed. */
export function reversibleOre(original: { status: string; amountOre: bigint }, heldOre: bigint): bigint {
  if (original.status !== 'confirmed') return 0n;
  const left = original.amountOre - heldOre;
  return left > 0n ? left : 0n;
}

export type { RedemptionReversal };
