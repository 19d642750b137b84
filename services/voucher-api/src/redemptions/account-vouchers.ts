import {
  type Executor,
  grants,
  municipalities,
  type Program,
  programProviders,
  programs,
  redemptions,
} from '@voucher/db';
import { and, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import { type Hex, hexToBytes } from 'viem';
import { restoredOreSql, useGivenBackSql, usesGivenBackSql } from '../corrections/given-back.ts';
import {
  assessVoucher,
  currentWindow,
  type ProviderFacts,
  type UsageFacts,
  type VoucherStanding,
} from './voucher-rules.ts';

/** One of an account's vouchers: the program, its grant and what is used of it. */
export interface AccountVoucher {
  program: Program;
  /** The program's municipality, so a counter serving two can tell whose voucher it redeems. */
  municipalityName: string;
  allowList: number[];
  grant: { amountOre: bigint | null; uses: number | null };
  usage: UsageFacts;
}

export interface AssessedVoucher extends AccountVoucher {
  standing: VoucherStanding;
}

/**
 * Everything needed to judge an account's vouchers, in three queries. Pending redemptions
 * count as spent: a redemption on its way to the chain must not be spendable twice.
 * Spending is summed in the database; only the times of redemptions that can fall in a
 * current usage window are fetched (all of them when `now` is not given), so a voucher used
 * hundreds of times costs no more to judge than a new one.
 */
export async function loadAccountVouchers(
  db: Executor,
  account: Hex,
  onlyProgram?: bigint,
  now?: Date,
): Promise<AccountVoucher[]> {
  const accountBytes = Buffer.from(hexToBytes(account));
  const rows = await db
    .select({
      program: programs,
      municipalityName: municipalities.name,
      amountOre: grants.amountOre,
      uses: grants.uses,
    })
    .from(grants)
    .innerJoin(programs, eq(programs.id, grants.programId))
    .innerJoin(municipalities, eq(municipalities.id, programs.municipalityId))
    .where(
      and(
        eq(grants.accountId, accountBytes),
        isNull(grants.revokedAt),
        onlyProgram === undefined ? undefined : eq(grants.programId, onlyProgram),
      ),
    )
    .orderBy(programs.id);
  if (rows.length === 0) return [];
  const programIds = rows.map((row) => row.program.id);
  const counted = and(
    eq(redemptions.account, account),
    inArray(redemptions.programId, programIds),
    inArray(redemptions.status, ['pending', 'confirmed']),
  );
  const windowStarts = rows.flatMap((row) => {
    if (!now) return [new Date(0)];
    const window = currentWindow(row.program, now);
    return window ? [window.startsAt] : [];
  });
  const earliestWindowStart = windowStarts.sort((a, b) => a.getTime() - b.getTime())[0];
  const [allowRows, totals, timeRows] = await Promise.all([
    db
      .select({ programId: programProviders.programId, providerId: programProviders.providerId })
      .from(programProviders)
      .where(inArray(programProviders.programId, programIds)),
    db
      .select({
        programId: redemptions.programId,
        // Less what confirmed reversals gave back (corrections/given-back.ts).
        spentOre: sql<string>`(coalesce(sum(${redemptions.amountOre}), 0)
          - ${restoredOreSql(sql`${account}`, sql`${redemptions.programId}`)})::text`,
        uses: sql<number>`(count(*) - ${usesGivenBackSql(sql`${account}`, sql`${redemptions.programId}`)})::int`,
      })
      .from(redemptions)
      .where(counted)
      .groupBy(redemptions.programId),
    earliestWindowStart === undefined
      ? Promise.resolve([])
      : db
          .select({ programId: redemptions.programId, createdAt: redemptions.createdAt })
          .from(redemptions)
          .where(and(counted, gte(redemptions.createdAt, earliestWindowStart), sql`NOT ${useGivenBackSql}`)),
  ]);
  return rows.map((row) =>
    toAccountVoucher(
      row,
      allowRows,
      totals.find((usage) => usage.programId === row.program.id),
      timeRows.filter((usage) => usage.programId === row.program.id).map((usage) => usage.createdAt),
    ),
  );
}

/** A voucher from its grant row, the allow-lists read, its summed use and its use times. */
export function toAccountVoucher(
  row: { program: Program; municipalityName: string; amountOre: bigint | null; uses: number | null },
  allowRows: readonly { programId: bigint; providerId: number }[],
  total: { spentOre: string; uses: number } | undefined,
  times: readonly Date[],
): AccountVoucher {
  return {
    program: row.program,
    municipalityName: row.municipalityName,
    allowList: allowRows
      .filter((allow) => allow.programId === row.program.id)
      .map((allow) => allow.providerId),
    grant: { amountOre: row.amountOre, uses: row.uses },
    usage: {
      spentOre: BigInt(total?.spentOre ?? 0),
      usesSpent: Number(total?.uses ?? 0),
      times,
    },
  };
}

export function assessAll(
  vouchers: AccountVoucher[],
  provider: ProviderFacts | undefined,
  now: Date,
): AssessedVoucher[] {
  return vouchers.map((voucher) => ({ ...voucher, standing: assessVoucher({ ...voucher, provider, now }) }));
}
