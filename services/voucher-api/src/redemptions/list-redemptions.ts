import { programs, providers, redemptionReversals, redemptions } from '@voucher/db';
import { and, desc, eq, gte, lt, max } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import { accountReversals } from '../corrections/list-reversals.ts';
import { type ReversalStanding, reversalStandings } from '../corrections/redemption-lines.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';

/** Midnight to midnight in Denmark (the counter's day), as UTC instants. */
export function danishDay(date: string): { from: Date; to: Date } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const from = danishMidnight(year, month, day);
  const to = danishMidnight(year, month, day + 1);
  if (Number.isNaN(from.getTime())) throw new AppError('VALIDATION_FAILED', { field: 'date' });
  return { from, to };
}

function danishMidnight(year: number, month: number, day: number): Date {
  const utcMidnight = Date.UTC(year, month - 1, day);
  // Copenhagen is UTC+1 or UTC+2: pick the offset whose local time reads 00:00.
  for (const offsetHours of [1, 2]) {
    const candidate = new Date(utcMidnight - offsetHours * 3_600_000);
    const hour = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Copenhagen',
      hour: '2-digit',
      hourCycle: 'h23',
    }).format(candidate);
    if (hour === '00') return candidate;
  }
  return new Date(utcMidnight - 3_600_000);
}

/** A provider's redemptions of one day, newest first; only its own staff and the municipality see them. */
export async function listProviderRedemptions(
  deps: DomainDeps,
  actor: AccessClaims,
  params: { providerId: number; date: string },
) {
  const provider = await deps.db.query.providers.findFirst({
    columns: { id: true, municipalityId: true },
    where: eq(providers.id, params.providerId),
  });
  if (!provider) throw new AppError('NOT_FOUND');
  if (
    actor.role === 'provider_staff'
      ? actor.providerId !== provider.id
      : actor.municipalityId !== provider.municipalityId
  ) {
    throw new AppError('NOT_FOUND');
  }
  const { from, to } = danishDay(params.date);
  const lines = await deps.db
    .select({ redemption: redemptions, programName: programs.name, municipalityId: programs.municipalityId })
    .from(redemptions)
    .innerJoin(programs, eq(programs.id, redemptions.programId))
    .where(
      and(
        eq(redemptions.providerId, provider.id),
        gte(redemptions.createdAt, from),
        lt(redemptions.createdAt, to),
      ),
    )
    .orderBy(desc(redemptions.createdAt))
    .limit(1000);
  // What the counter may still void or refund of each line, and the message its terminal signs.
  const standings = await reversalStandings(deps, provider.id, from, lines);
  return lines.map((line, index) => ({ ...line, standing: standings[index] as ReversalStanding }));
}

/**
 * The citizen's own history: where, what, how much and when, with what was voided or refunded
 * of each line. The terminal's address and the redemption id name a purchase (the citizen
 * disputes it by them); never the scan or the provider's staff.
 */
export async function listAccountHistory(deps: DomainDeps, account: string) {
  const [lines, reversals] = await Promise.all([
    accountRedemptions(deps, account),
    accountReversals(deps, account),
  ]);
  return lines.map((line) => ({
    ...line,
    reversals: reversals.filter(
      (reversal) =>
        reversal.originalTerminal === line.terminal && reversal.originalRedemptionId === line.redemptionId,
    ),
  }));
}

function accountRedemptions(deps: DomainDeps, account: string) {
  return deps.db
    .select({
      terminal: redemptions.terminal,
      redemptionId: redemptions.redemptionId,
      providerId: redemptions.providerId,
      providerName: providers.name,
      programId: redemptions.programId,
      programName: programs.name,
      amountOre: redemptions.amountOre,
      status: redemptions.status,
      periodId: redemptions.periodId,
      createdAt: redemptions.createdAt,
    })
    .from(redemptions)
    .innerJoin(providers, eq(providers.id, redemptions.providerId))
    .innerJoin(programs, eq(programs.id, redemptions.programId))
    .where(eq(redemptions.account, account))
    .orderBy(desc(redemptions.createdAt))
    .limit(500);
}

/** The highest redemption id the service holds for a terminal, so a reinstalled scanner can resume. */
export async function highestRedemptionId(deps: DomainDeps, actor: AccessClaims, terminal: string) {
  const address = terminal.toLowerCase();
  const owner = await deps.db.query.terminals.findFirst({
    where: (row, { eq: is }) => is(row.address, address),
  });
  if (!owner || owner.providerId !== actor.providerId) throw new AppError('NOT_FOUND');
  // A terminal's reversals use ids from the same counter as its redemptions (the hub's replay
  // protection is one per terminal), so a scanner resumes after the highest of both.
  const [[redeemed], [reversed]] = await Promise.all([
    deps.db
      .select({ highest: max(redemptions.redemptionId) })
      .from(redemptions)
      .where(eq(redemptions.terminal, address)),
    deps.db
      .select({ highest: max(redemptionReversals.reversalId) })
      .from(redemptionReversals)
      .where(eq(redemptionReversals.terminal, address)),
  ]);
  const ids = [redeemed?.highest, reversed?.highest].filter((id) => id != null).map((id) => BigInt(id));
  // bigint: Math.max does not take them.
  return ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).at(-1) ?? null;
}
