import { type Executor, grants, municipalities, programProviders, programs, redemptions } from '@voucher/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Hex } from 'viem';
import { restoredOreSql, useGivenBackSql, usesGivenBackSql } from '../corrections/given-back.ts';
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
 * One statement: each grant row carries its allow list, what is spent and the times of the
 * uses that can fall in the current window, as subqueries (by the (account, program) index).
 * Every statement costs the counter a round trip and the API's CPU, and this runs for every
 * batch at a busy counter.
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
  const accountText = sql`'0x' || encode(${grants.accountId}, 'hex')`;
  const programText = sql`${grants.programId}`;
  const counted = sql`${redemptions.account} = ${accountText} AND ${redemptions.programId} = ${grants.programId}
    AND ${redemptions.status} IN ('pending', 'confirmed')`;
  const rows = await db
    .select({
      program: programs,
      municipalityName: municipalities.name,
      account: grants.accountId,
      amountOre: grants.amountOre,
      uses: grants.uses,
      allowList: sql<number[]>`coalesce((SELECT json_agg(${programProviders.providerId})
        FROM ${programProviders} WHERE ${programProviders.programId} = ${programs.id}), '[]')`,
      // Spent øre (as text, exact) and uses, from one scan of the voucher's redemptions, less
      // what confirmed reversals gave back (corrections/given-back.ts).
      spent: sql<{ spentOre: string; uses: number }>`(SELECT json_build_object(
        'spentOre', (coalesce(sum(${redemptions.amountOre}), 0) - ${restoredOreSql(accountText, programText)})::text,
        'uses', count(*) - ${usesGivenBackSql(accountText, programText)})
        FROM ${redemptions} WHERE ${counted})`,
      // Every use within one window length of now (milliseconds since the epoch): a superset
      // of the current window, which currentWindow then cuts exactly.
      recentUses: sql<number[]>`CASE WHEN ${programs.usesPerWindow} IS NULL THEN '[]'::json ELSE coalesce((
        SELECT json_agg(floor(extract(epoch FROM ${redemptions.createdAt}) * 1000)::bigint) FROM ${redemptions}
        WHERE ${counted} AND NOT ${useGivenBackSql} AND ${redemptions.createdAt} > ${now.toISOString()}::timestamptz
          - make_interval(days => ${programs.windowDays})), '[]') END`,
    })
    .from(grants)
    .innerJoin(programs, eq(programs.id, grants.programId))
    .innerJoin(municipalities, eq(municipalities.id, programs.municipalityId))
    .where(
      and(
        isNull(grants.revokedAt),
        // (account, program) pairs as two parallel text arrays: two parameters for any batch size.
        sql`(encode(${grants.accountId}, 'hex'), ${grants.programId}) IN (
          SELECT * FROM unnest(string_to_array(${accountsText}, ','), string_to_array(${programsText}, ',')::bigint[]))`,
      ),
    );
  for (const row of rows) {
    const key = voucherKey({ account: `0x${row.account.toString('hex')}`, programId: row.program.id });
    const windowStart = currentWindow(row.program, now)?.startsAt;
    const times = windowStart
      ? row.recentUses.map((ms) => new Date(Number(ms))).filter((time) => time >= windowStart)
      : [];
    const allowRows = row.allowList.map((providerId) => ({ programId: row.program.id, providerId }));
    vouchers.set(key, toAccountVoucher(row, allowRows, row.spent, times));
  }
  return vouchers;
}
