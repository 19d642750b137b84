import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { municipalities } from './municipalities.ts';
import { providers } from './providers.ts';
import { staffUsers } from './staff-users.ts';

export const admissionStatuses = ['active', 'suspended'] as const;
export type AdmissionStatus = (typeof admissionStatuses)[number];

/**
 * Which municipalities accept a provider, and for which categories. A provider is one
 * organisation (one CVR, one payout account, its own terminals) registered by its home
 * municipality (`providers.municipality_id`); every municipality that wants its vouchers
 * used there admits it here, separately, as the hub does on chain (`admitProvider`). A
 * redemption counts only where the program's municipality has admitted the provider.
 */
export const providerAdmissions = pgTable(
  'provider_admissions',
  {
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    providerId: integer('provider_id')
      .notNull()
      .references(() => providers.id),
    categories: integer('categories').notNull(),
    status: text('status', { enum: admissionStatuses }).notNull().default('active'),
    admittedBy: uuid('admitted_by').references(() => staffUsers.id),
    admittedAt: instant('admitted_at').notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ name: 'provider_admissions_pk', columns: [table.municipalityId, table.providerId] }),
    check('provider_admissions_categories_non_empty', sql`${table.categories} > 0`),
    check('provider_admissions_status_valid', sql`${table.status} IN ('active', 'suspended')`),
    index('provider_admissions_provider_idx').on(table.providerId),
  ],
);

export type ProviderAdmission = typeof providerAdmissions.$inferSelect;
