import { programs, type RedemptionReversal, redemptionReversals, redemptions } from '@voucher/db';
import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { awaitOutcome } from '../redemptions/finalize.ts';
import { withTenant } from '../tenancy/with-tenant.ts';
import { reversibleOre } from './reversal-facts.ts';
import { awaitReversalOutcome } from './reversal-outcome.ts';

export interface RedemptionReversals {
  reversals: RedemptionReversal[];
  /** Given back and confirmed by the chain. */
  reversedOre: bigint;
  /** What a new reversal may still give back (pending ones hold their amount). */
  reversibleOre: bigint;
}

/**
 * A redemption's reversals, oldest first, for its provider's staff and for the staff of the
 * municipality whose program it used (read behind row-level security). Anyone else is told
 * it does not exist. Pending reversals whose transaction has settled get their verdict first.
 */
export async function listRedemptionReversals(
  deps: DomainDeps,
  actor: AccessClaims,
  key: { terminal: string; redemptionId: bigint },
): Promise<RedemptionReversals> {
  const found = await withTenant(deps, actor, (scoped) => readReversals(scoped, key));
  if (!found || !mayRead(actor, found)) throw new AppError('NOT_FOUND');
  const original =
    found.original.status === 'pending' ? await awaitOutcome(deps, found.original, 0) : found.original;
  const reversals = await Promise.all(found.reversals.map((row) => awaitReversalOutcome(deps, row, 0)));
  return summarize(original, reversals);
}

function mayRead(actor: AccessClaims, found: { original: { providerId: number }; municipalityId: number }) {
  if (actor.role === 'provider_staff') return actor.providerId === found.original.providerId;
  return actor.municipalityId === found.municipalityId;
}

async function readReversals(deps: Pick<DomainDeps, 'db'>, key: { terminal: string; redemptionId: bigint }) {
  const [found] = await deps.db
    .select({ original: redemptions, municipalityId: programs.municipalityId })
    .from(redemptions)
    .innerJoin(programs, eq(programs.id, redemptions.programId))
    .where(
      and(
        eq(redemptions.terminal, key.terminal.toLowerCase()),
        eq(redemptions.redemptionId, key.redemptionId),
      ),
    );
  if (!found) return undefined;
  const reversals = await deps.db
    .select()
    .from(redemptionReversals)
    .where(
      and(
        eq(redemptionReversals.originalTerminal, found.original.terminal),
        eq(redemptionReversals.originalRedemptionId, found.original.redemptionId),
      ),
    )
    .orderBy(asc(redemptionReversals.createdAt), asc(redemptionReversals.reversalId));
  return { ...found, reversals };
}

export function summarize(
  original: { status: string; amountOre: bigint },
  reversals: readonly Pick<RedemptionReversal, 'status' | 'amountOre'>[],
) {
  const sum = (statuses: string[]) =>
    reversals
      .filter((row) => statuses.includes(row.status))
      .reduce((total, row) => total + row.amountOre, 0n);
  return {
    reversals: reversals as RedemptionReversal[],
    reversedOre: sum(['confirmed']),
    reversibleOre: reversibleOre(original, sum(['pending', 'confirmed'])),
  };
}

export interface ReversalTotals {
  reversedOre: bigint;
  heldOre: bigint;
  count: number;
}

function originalKey(terminal: string, redemptionId: bigint): string {
  return `${terminal}:${redemptionId}`;
}

/**
 * Pending and confirmed reversals of a provider's redemptions made since `since`, by original
 * (terminal:id): a reversal is always made after its redemption, so the provider's reversals
 * since the first redemption of a list cover all of the list's.
 */
export async function providerReversalTotals(
  deps: Pick<DomainDeps, 'db'>,
  providerId: number,
  since: Date,
): Promise<Map<string, ReversalTotals>> {
  const rows = await deps.db
    .select({
      originalTerminal: redemptionReversals.originalTerminal,
      originalRedemptionId: redemptionReversals.originalRedemptionId,
      status: redemptionReversals.status,
      amountOre: redemptionReversals.amountOre,
    })
    .from(redemptionReversals)
    .where(
      and(
        eq(redemptionReversals.providerId, providerId),
        gte(redemptionReversals.createdAt, since),
        inArray(redemptionReversals.status, ['pending', 'confirmed']),
      ),
    );
  return totalsByOriginal(rows);
}

export function totalsByOriginal(
  rows: readonly Pick<
    RedemptionReversal,
    'originalTerminal' | 'originalRedemptionId' | 'status' | 'amountOre'
  >[],
): Map<string, ReversalTotals> {
  const totals = new Map<string, ReversalTotals>();
  for (const row of rows) {
    const key = originalKey(row.originalTerminal, row.originalRedemptionId);
    const total = totals.get(key) ?? { reversedOre: 0n, heldOre: 0n, count: 0 };
    if (row.status === 'confirmed') total.reversedOre += row.amountOre;
    if (row.status !== 'rejected') {
      total.heldOre += row.amountOre;
      total.count += 1;
    }
    totals.set(key, total);
  }
  return totals;
}

export function totalsOf(
  totals: Map<string, ReversalTotals>,
  row: { terminal: string; redemptionId: bigint },
) {
  return (
    totals.get(originalKey(row.terminal, row.redemptionId)) ?? { reversedOre: 0n, heldOre: 0n, count: 0 }
  );
}

/**
 * A citizen's reversals that count (pending and confirmed; a refused one changed nothing),
 * with what the citizen may see of them: kind, reason, amount, status, dates and whether the
 * credit came back. Never the terminal that signed it.
 */
export function accountReversals(deps: Pick<DomainDeps, 'db'>, account: string) {
  return deps.db
    .select({
      originalTerminal: redemptionReversals.originalTerminal,
      originalRedemptionId: redemptionReversals.originalRedemptionId,
      kind: redemptionReversals.kind,
      reason: redemptionReversals.reason,
      amountOre: redemptionReversals.amountOre,
      status: redemptionReversals.status,
      creditRestored: redemptionReversals.creditRestored,
      createdAt: redemptionReversals.createdAt,
      confirmedAt: redemptionReversals.confirmedAt,
    })
    .from(redemptionReversals)
    .where(
      and(
        eq(redemptionReversals.account, account),
        inArray(redemptionReversals.status, ['pending', 'confirmed']),
      ),
    )
    .orderBy(asc(redemptionReversals.createdAt));
}
