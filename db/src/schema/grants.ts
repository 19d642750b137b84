import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { bytea, createdAt, instant } from './columns.ts';
import { municipalities } from './municipalities.ts';
import { programs } from './programs.ts';
import { staffUsers } from './staff-users.ts';

/**
 * A program's credit or uses given to an account. `person_key` is a keyed blind index of
 * (CPR, program): the unique index makes "one grant per person per program" a database fact,
 * even across the person's accounts (a reissued pass, a move). Erasure nulls it.
 */
export const grants = pgTable(
  'grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    programId: bigint('program_id', { mode: 'bigint' })
      .notNull()
      .references(() => programs.id),
    accountId: bytea('account_id')
      .notNull()
      .references(() => accounts.accountId),
    personKey: bytea('person_key'),
    amountOre: bigint('amount_ore', { mode: 'bigint' }),
    uses: integer('uses'),
    grantedBy: uuid('granted_by').references(() => staffUsers.id),
    createdAt: createdAt(),
    revokedAt: instant('revoked_at'),
  },
  (table) => [
    uniqueIndex('grants_program_person_key_unique').on(table.programId, table.personKey),
    check('grants_amount_non_negative', sql`${table.amountOre} IS NULL OR ${table.amountOre} >= 0`),
    check('grants_uses_non_negative', sql`${table.uses} IS NULL OR ${table.uses} >= 0`),
    check('grants_has_value', sql`${table.amountOre} IS NOT NULL OR ${table.uses} IS NOT NULL`),
    index('grants_account_idx').on(table.accountId),
    index('grants_program_idx').on(table.programId),
  ],
);

export type Grant = typeof grants.$inferSelect;
export type NewGrant = typeof grants.$inferInsert;
