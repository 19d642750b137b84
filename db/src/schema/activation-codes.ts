import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { bytea, createdAt, instant } from './columns.ts';

/**
 * One-time activation codes from the letter. Only keyed hashes are stored, so a database leak
 * does not hand out working codes. The code's first symbols are a selector that finds the row
 * even when the rest is mistyped, so every wrong try at a code counts against that code and
 * guessing stops after a few attempts. The selector is unique among unused codes.
 */
export const activationCodes = pgTable(
  'activation_codes',
  {
    codeHash: bytea('code_hash').primaryKey(),
    // Null only on codes issued before selectors existed; those were voided by the migration.
    selectorHash: bytea('selector_hash'),
    accountId: bytea('account_id')
      .notNull()
      .references(() => accounts.accountId),
    expiresAt: instant('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    usedAt: instant('used_at'),
    createdAt: createdAt(),
  },
  (table) => [
    check('activation_codes_attempts_non_negative', sql`${table.attempts} >= 0`),
    check(
      'activation_codes_unused_has_selector',
      sql`${table.usedAt} IS NOT NULL OR ${table.selectorHash} IS NOT NULL`,
    ),
    index('activation_codes_account_idx').on(table.accountId),
    uniqueIndex('activation_codes_unused_selector_unique')
      .on(table.selectorHash)
      .where(sql`${table.usedAt} IS NULL`),
  ],
);

export type ActivationCode = typeof activationCodes.$inferSelect;
