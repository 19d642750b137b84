import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, text } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { bytea, instant } from './columns.ts';

export const passKinds = ['printed'] as const;
export const passStatuses = ['active', 'revoked'] as const;

/**
 * Printed passes (card or letter). The serial is what the signed QR carries, so revoking a
 * lost card is one row: scanners that see a revoked serial refuse it at once.
 */
export const passes = pgTable(
  'passes',
  {
    serial: bigint('serial', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bytea('account_id')
      .notNull()
      .references(() => accounts.accountId),
    kind: text('kind', { enum: passKinds }).notNull().default('printed'),
    status: text('status', { enum: passStatuses }).notNull().default('active'),
    issuedAt: instant('issued_at').notNull().defaultNow(),
    revokedAt: instant('revoked_at'),
  },
  (table) => [
    check('passes_kind_valid', sql`${table.kind} IN ('printed')`),
    check('passes_status_valid', sql`${table.status} IN ('active', 'revoked')`),
    check('passes_revoked_has_time', sql`(${table.status} = 'revoked') = (${table.revokedAt} IS NOT NULL)`),
    index('passes_account_idx').on(table.accountId),
  ],
);

export type Pass = typeof passes.$inferSelect;
