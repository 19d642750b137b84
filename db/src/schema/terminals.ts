import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { providers } from './providers.ts';

export const terminalStatuses = ['active', 'revoked'] as const;

/**
 * Scanner devices. The address is the on-chain signer the contract checks, so a terminal is
 * identified by it (lower-case hex).
 */
export const terminals = pgTable(
  'terminals',
  {
    address: text('address').primaryKey(),
    providerId: integer('provider_id')
      .notNull()
      .references(() => providers.id),
    label: text('label').notNull(),
    publicKey: text('public_key'),
    status: text('status', { enum: terminalStatuses }).notNull().default('active'),
    createdAt: createdAt(),
    revokedAt: instant('revoked_at'),
  },
  (table) => [
    check('terminals_address_format', sql`${table.address} ~ '^0x[0-9a-f]{40}$'`),
    check('terminals_status_valid', sql`${table.status} IN ('active', 'revoked')`),
    check(
      'terminals_revoked_has_time',
      sql`(${table.status} = 'revoked') = (${table.revokedAt} IS NOT NULL)`,
    ),
    index('terminals_provider_idx').on(table.providerId),
  ],
);

export type Terminal = typeof terminals.$inferSelect;
