import { redemptionReversals, redemptions } from '@voucher/db';
import { type SQL, sql } from 'drizzle-orm';

/**
 * What confirmed reversals gave back to a citizen's voucher, exactly as the hub's `_giveBack`
 * did (the RedemptionReversed event's creditRestored says whether it did): the øre (credit
 * programs count spending in øre), and for a whole reversal of one redemption the use itself,
 * which then no longer counts in its usage window either. A reversal the hub did not give back
 * (the program had ended, the account was closed, or a partial refund of a use) went to the
 * program's budget instead, and the voucher stays as it was.
 *
 * `account` is the voucher's account as 0x-hex text and `program` its program id, both SQL
 * from the surrounding query.
 */
export function restoredOreSql(account: SQL, program: SQL): SQL<string> {
  return sql<string>`(SELECT coalesce(sum(back.amount_ore), 0) FROM ${redemptionReversals} AS back
    WHERE back.account = ${account} AND back.program_id = ${program}
      AND back.status = 'confirmed' AND back.credit_restored)`;
}

/** Uses given back: whole reversals (one reversal of the redemption's whole amount) that restored. */
export function usesGivenBackSql(account: SQL, program: SQL): SQL<number> {
  return sql<number>`(SELECT count(*) FROM ${redemptionReversals} AS back
    JOIN ${redemptions} AS given ON given.terminal = back.original_terminal
      AND given.redemption_id = back.original_redemption_id AND given.amount_ore = back.amount_ore
    WHERE back.account = ${account} AND back.program_id = ${program}
      AND back.status = 'confirmed' AND back.credit_restored)`;
}

/** True for a redemption row (of the outer query's `redemptions`) whose use was given back. */
export const useGivenBackSql: SQL<boolean> = sql<boolean>`EXISTS (SELECT 1 FROM ${redemptionReversals} AS back
  WHERE back.original_terminal = ${redemptions.terminal} AND back.original_redemption_id = ${redemptions.redemptionId}
    AND back.amount_ore = ${redemptions.amountOre} AND back.status = 'confirmed' AND back.credit_restored)`;
