import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { citizens } from './citizens.ts';
import { bytea, createdAt } from './columns.ts';
import { municipalities } from './municipalities.ts';

export const accountStatuses = ['active', 'suspended', 'closed'] as const;
export type AccountStatus = (typeof accountStatuses)[number];

/**
 * A pseudonymous account: 32 random bytes, the citizen's only identity on chain. The link to
 * the person (`citizen_id`) exists only here and is cut on erasure.
 */
export const accounts = pgTable(
  'accounts',
  {
    accountId: bytea('account_id').primaryKey(),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    citizenId: uuid('citizen_id').references(() => citizens.id, { onDelete: 'set null' }),
    status: text('status', { enum: accountStatuses }).notNull().default('active'),
    createdAt: createdAt(),
  },
  (table) => [
    check('accounts_account_id_32_bytes', sql`octet_length(${table.accountId}) = 32`),
    check('accounts_status_valid', sql`${table.status} IN ('active', 'suspended', 'closed')`),
    index('accounts_citizen_idx').on(table.citizenId),
    index('accounts_municipality_idx').on(table.municipalityId),
  ],
);

export type Account = typeof accounts.$inferSelect;
export type NewAccount = typeof accounts.$inferInsert;
