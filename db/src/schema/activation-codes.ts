import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { bytea, createdAt, instant } from './columns.ts';

/**
 * One-time activation codes from the letter. Only a hash is stored, so a database leak does
 * not hand out working codes; attempts are counted to stop guessing.
 */
export const activationCodes = pgTable(
  'activation_codes',
  {
    codeHash: bytea('code_hash').primaryKey(),
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
    index('activation_codes_account_idx').on(table.accountId),
  ],
);

export type ActivationCode = typeof activationCodes.$inferSelect;
