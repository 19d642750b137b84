import { index, integer, pgTable, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, instant } from './columns.ts';
import { providers } from './providers.ts';
import { staffUsers } from './staff-users.ts';

/** One-time codes provider staff hand to a new scanner; only the hash is kept. */
export const terminalPairingCodes = pgTable(
  'terminal_pairing_codes',
  {
    codeHash: bytea('code_hash').primaryKey(),
    providerId: integer('provider_id')
      .notNull()
      .references(() => providers.id),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => staffUsers.id),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
    createdAt: createdAt(),
  },
  (table) => [index('terminal_pairing_codes_provider_idx').on(table.providerId)],
);
