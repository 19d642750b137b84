import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { bytea, createdAt, instant } from './columns.ts';

/** A citizen's phone: its public key (SPKI or JWK text) verifies the rotating QR it shows. */
export const devices = pgTable(
  'devices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: bytea('account_id')
      .notNull()
      .references(() => accounts.accountId),
    publicKey: text('public_key').notNull(),
    createdAt: createdAt(),
    revokedAt: instant('revoked_at'),
  },
  (table) => [index('devices_account_idx').on(table.accountId)],
);

export type Device = typeof devices.$inferSelect;
