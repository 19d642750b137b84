import { chainEvents, executedRows, municipalities, programs, providers } from '@voucher/db';
import { and, eq, sql } from 'drizzle-orm';
import { maskToCategories } from '../categories.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';

export interface SpendingRow {
  periodId: number;
  programId: string;
  programName: string;
  municipalityId: number;
  category: string;
  redemptions: number;
  amountOre: string;
}

export interface Totals {
  key: string;
  redemptions: number;
  amountOre: string;
}

export interface PublicSpending {
  currency: 'DKK';
  municipalityId: number;
  municipalityName: string;
  rows: SpendingRow[];
  byProgram: Totals[];
  byCategory: Totals[];
  byPeriod: Totals[];
  totalOre: string;
}

const arg = (name: string) => sql`(${chainEvents.args}->>${name})`;

/** The municipalities a public dashboard can be shown for: codes and names, nothing else. */
export async function publicMunicipalities(deps: DomainDeps): Promise<{ id: number; name: string }[]> {
  return deps.db
    .select({ id: municipalities.id, name: municipalities.name })
    .from(municipalities)
    .orderBy(municipalities.id);
}

/**
 * Aggregate spending of one municipality for its public dashboard (periods are each
 * municipality's own, so two municipalities' "period 1" are never added together), from the
 * chain's Redeemed events less what RedemptionReversed gave back of them (voids and refunds,
 * counted against the period the redemption was in, so no figure goes below 0), so anyone
 * can check it against the chain. Grouped per period, program and the category the
 * redemption counted under (the first category the program and the provider share). No
 * account, terminal or redemption id leaves this function.
 */
export async function publicSpending(deps: DomainDeps, municipalityId: number): Promise<PublicSpending> {
  const [municipality] = await deps.db
    .select({ name: municipalities.name })
    .from(municipalities)
    .where(eq(municipalities.id, municipalityId));
  if (!municipality) throw new AppError('NOT_FOUND');
  const grouped = await deps.db
    .select({
      periodId: sql<number>`${arg('period')}::int`.mapWith(Number),
      programId: sql<string>`${arg('program')}`,
      providerId: sql<number>`${arg('provider')}::int`.mapWith(Number),
      redemptions: sql<number>`count(*)::int`.mapWith(Number),
      amountOre: sql<string>`sum(${arg('amountOre')}::numeric)::text`,
    })
    .from(chainEvents)
    .where(and(eq(chainEvents.contract, 'hub'), eq(chainEvents.eventName, 'Redeemed')))
    .groupBy(sql`1`, sql`2`, sql`3`);
  const reversed = await reversedByOriginal(deps);
  const programRows = await deps.db
    .select({
      id: programs.id,
      name: programs.name,
      municipalityId: programs.municipalityId,
      categories: programs.categories,
    })
    .from(programs)
    .where(eq(programs.municipalityId, municipalityId));
  const providerRows = await deps.db
    .select({ id: providers.id, categories: providers.categories })
    .from(providers);
  const programById = new Map(programRows.map((p) => [p.id.toString(), p]));
  const providerCategories = new Map(providerRows.map((p) => [p.id, p.categories]));
  const rows = new Map<string, SpendingRow>();
  for (const group of grouped) {
    const program = programById.get(group.programId);
    // Redeemed events name the program; another municipality's programs are not in the map.
    if (!program) continue;
    const shared = program.categories & (providerCategories.get(group.providerId) ?? 0);
    const category = maskToCategories(shared)[0] ?? 'other';
    const key = `${group.periodId}|${group.programId}|${category}`;
    const row = rows.get(key) ?? {
      periodId: group.periodId,
      programId: group.programId,
      programName: program.name,
      municipalityId,
      category,
      redemptions: 0,
      amountOre: '0',
    };
    const givenBack = reversed.get(`${group.periodId}|${group.programId}|${group.providerId}`) ?? 0n;
    row.redemptions += group.redemptions;
    row.amountOre = (BigInt(row.amountOre) + BigInt(group.amountOre) - givenBack).toString();
    rows.set(key, row);
  }
  const sorted = [...rows.values()].sort(
    (a, b) =>
      a.periodId - b.periodId ||
      a.programId.localeCompare(b.programId) ||
      a.category.localeCompare(b.category),
  );
  return {
    currency: 'DKK',
    municipalityId,
    municipalityName: municipality.name,
    rows: sorted,
    byProgram: totalsBy(sorted, (row) => row.programId),
    byCategory: totalsBy(sorted, (row) => row.category),
    byPeriod: totalsBy(sorted, (row) => String(row.periodId)),
    totalOre: sorted.reduce((sum, row) => sum + BigInt(row.amountOre), 0n).toString(),
  };
}

/**
 * Øre given back per (period, program, provider) of the original redemptions: each
 * RedemptionReversed names its redemption by terminal and id, whose Redeemed event says the
 * period it was in.
 */
async function reversedByOriginal(deps: DomainDeps): Promise<Map<string, bigint>> {
  type Row = { period: number; program: string; provider: number; ore: string };
  const result = await deps.db.execute(sql`
    SELECT (r.args->>'period')::int AS period, r.args->>'program' AS program,
           (r.args->>'provider')::int AS provider, sum((v.args->>'amountOre')::numeric)::text AS ore
    FROM ${chainEvents} v
    JOIN ${chainEvents} r
      ON r.contract = 'hub' AND r.event_name = 'Redeemed'
     AND lower(r.args->>'terminal') = lower(v.args->>'terminal')
     AND r.args->>'redemptionId' = v.args->>'redemptionId'
    WHERE v.contract = 'hub' AND v.event_name = 'RedemptionReversed'
    GROUP BY 1, 2, 3`);
  return new Map(
    executedRows<Row>(result).map((row) => [
      `${Number(row.period)}|${row.program}|${Number(row.provider)}`,
      BigInt(row.ore),
    ]),
  );
}

function totalsBy(rows: SpendingRow[], keyOf: (row: SpendingRow) => string): Totals[] {
  const totals = new Map<string, { redemptions: number; amountOre: bigint }>();
  for (const row of rows) {
    const total = totals.get(keyOf(row)) ?? { redemptions: 0, amountOre: 0n };
    total.redemptions += row.redemptions;
    total.amountOre += BigInt(row.amountOre);
    totals.set(keyOf(row), total);
  }
  return [...totals.entries()].map(([key, total]) => ({
    key,
    redemptions: total.redemptions,
    amountOre: total.amountOre.toString(),
  }));
}
