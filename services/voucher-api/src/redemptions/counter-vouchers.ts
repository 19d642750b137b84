import { type Executor, grants, programProviders, programs, redemptions } from '@voucher/db';
import { and, eq, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { Hex } from 'viem';
import { type AccountVoucher, toAccountVoucher } from './account-vouchers.ts';
import { currentWindow } from './voucher-rules.ts';

/** One account's voucher in one program, as a batch of counter requests names it. */
export interface VoucherKey {
  account: Hex;
  programId: bigint;
}

export function voucherKey({ account, programId }: VoucherKey): string {
  return `${account}:${programId}`;
}

/**
 * The vouchers a batch of redemptions asks for, keyed by voucherKey. Like loadAccountVouchers,
 * pending redemptions count as spent. Pairs without a live grant are absent from the result.
 * The four reads do not depend on each other, so they leave in one write and the database
 * answers them in order (after whatever the caller sent before, such as its locks).
 */
export async function loadVouchersFor(
  db: Executor,
  keys: readonly VoucherKey[],
  now: Date,
): Promise<Map<string, AccountVoucher>> {
  const unique = [...new Map(keys.map((key) => [voucherKey(key), key])).values()];
  const vouchers = new Map<string, AccountVoucher>();
  if (unique.length === 0) return vouchers;
  const accountsText = unique.map((key) => key.account.slice(2)).join(',');
  const programsText = unique.map((key) => key.programId.toString()).join(',');
  // (account, program) pairs as two parallel text arrays: two parameters for any batch size.
  const pairs = (account: SQL, program: SQL) => sql`(${account}, ${program}) IN (
    SELECT * FROM unnest(string_to_array(${accountsText}, ','), string_to_array(${programsText}, ',')::bigint[]))`;
  const counted = and(
    pairs(sql`substring(${redemptions.account} from 3)`, sql`${redemptions.programId}`),
    inArray(redemptions.status, ['pending', 'confirmed']),
  );
  const [granted, allowRows, totals, recent] = await Promise.all([
    db
      .select({
        program: programs,
        account: grants.accountId,
        amountOre: grants.amountOre,
        uses: grants.uses,
      })
      .from(grants)
      .innerJoin(programs, eq(programs.id, grants.programId))
      .where(
        and(
          isNull(grants.revokedAt),
          pairs(sql`encode(${grants.accountId}, 'hex')`, sql`${grants.programId}`),
        ),
      ),
    db
      .select({ programId: programProviders.programId, providerId: programProviders.providerId })
      .from(programProviders)
      .where(sql`${programProviders.programId} = ANY(string_to_array(${programsText}, ',')::bigint[])`),
    db
      .select({
        account: redemptions.account,
        programId: redemptions.programId,
        spentOre: sql<string>`coalesce(sum(${redemptions.amountOre}), 0)::text`,
        uses: sql<number>`count(*)::int`,
      })
      .from(redemptions)
      .where(counted)
      .groupBy(redemptions.account, redemptions.programId),
    // Every use within one window length of now: a superset of the current window, which
    // currentWindow then cuts exactly.
    db
      .select({
        account: redemptions.account,
        programId: redemptions.programId,
        createdAt: redemptions.createdAt,
      })
      .from(redemptions)
      .innerJoin(programs, eq(programs.id, redemptions.programId))
      .where(
        and(
          counted,
          isNotNull(programs.usesPerWindow),
          sql`${redemptions.createdAt} > ${now.toISOString()}::timestamptz - make_interval(days => ${programs.windowDays})`,
        ),
      ),
  ]);
  const totalsByKey = new Map(
    totals.map((row) => [voucherKey({ account: row.account as Hex, programId: row.programId }), row]),
  );
  const timesByKey = new Map<string, Date[]>();
  for (const row of recent) {
    const key = voucherKey({ account: row.account as Hex, programId: row.programId });
    timesByKey.set(key, [...(timesByKey.get(key) ?? []), row.createdAt]);
  }
  for (const row of granted) {
    const key = voucherKey({ account: `0x${row.account.toString('hex')}`, programId: row.program.id });
    const total = totalsByKey.get(key);
    const windowStart = currentWindow(row.program, now)?.startsAt;
    const times = windowStart ? (timesByKey.get(key) ?? []).filter((time) => time >= windowStart) : [];
    vouchers.set(key, toAccountVoucher(row, allowRows, total, times));
  }
  return vouchers;
}
