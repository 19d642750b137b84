import { sql } from 'drizzle-orm';
import { type AnyPgColumn, check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, instant } from './columns.ts';
import { municipalities } from './municipalities.ts';
import { staffUsers } from './staff-users.ts';

export const providerStatuses = ['pending', 'active', 'suspended'] as const;
export type ProviderStatus = (typeof providerStatuses)[number];

/**
 * Shops, clubs and culture houses. The id is also the on-chain ProviderId, so it comes from
 * the database's identity sequence and is never reused. Contact data is business data (the
 * company's email and phone), not personal data.
 */
export const providers = pgTable(
  'providers',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    cvr: text('cvr').notNull().unique('providers_cvr_unique'),
    name: text('name').notNull(),
    iban: text('iban').notNull(),
    categories: integer('categories').notNull(),
    address: text('address').notNull(),
    contactEmail: text('contact_email').notNull(),
    contactPhone: text('contact_phone'),
    payoutAddress: text('payout_address'),
    payoutKeyWrapped: bytea('payout_key_wrapped'),
    status: text('status', { enum: providerStatuses }).notNull().default('pending'),
    approvedBy: uuid('approved_by').references((): AnyPgColumn => staffUsers.id),
    approvedAt: instant('approved_at'),
    createdAt: createdAt(),
  },
  (table) => [
    check('providers_cvr_format', sql`${table.cvr} ~ '^[0-9]{8}$'`),
    check('providers_iban_format', sql`${table.iban} ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$'`),
    check('providers_categories_non_empty', sql`${table.categories} > 0`),
    check('providers_status_valid', sql`${table.status} IN ('pending', 'active', 'suspended')`),
    // Once approved, a provider must have somewhere on chain to be paid to.
    check(
      'providers_approved_has_payout',
      sql`${table.status} = 'pending' OR (${table.payoutAddress} IS NOT NULL AND ${table.payoutKeyWrapped} IS NOT NULL AND ${table.approvedAt} IS NOT NULL)`,
    ),
    check(
      'providers_payout_address_format',
      sql`${table.payoutAddress} IS NULL OR ${table.payoutAddress} ~ '^0x[0-9a-f]{40}$'`,
    ),
    index('providers_municipality_idx').on(table.municipalityId),
    index('providers_status_idx').on(table.status),
  ],
);

export type Provider = typeof providers.$inferSelect;
export type NewProvider = typeof providers.$inferInsert;
