import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

/**
 * The tenants. The id is the official municipality code (kommunekode, e.g. 101), so it reads
 * the same in every system and a second municipality is a row here, not a rewrite. On chain
 * the same number is the hub's MunicipalityId, which scopes its roles, periods and claims.
 *
 * The debtor account is where the municipality pays its providers from: each municipality's
 * bank file names its own account, never another's.
 */
export const municipalities = pgTable(
  'municipalities',
  {
    id: integer('id').primaryKey(),
    name: text('name').notNull(),
    debtorIban: text('debtor_iban'),
    debtorBic: text('debtor_bic'),
    contactPhone: text('contact_phone'),
    createdAt: createdAt(),
  },
  (table) => [
    check('municipalities_id_range', sql`${table.id} BETWEEN 1 AND 999`),
    check(
      'municipalities_debtor_iban_format',
      sql`${table.debtorIban} IS NULL OR ${table.debtorIban} ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$'`,
    ),
    check(
      'municipalities_debtor_bic_format',
      sql`${table.debtorBic} IS NULL OR ${table.debtorBic} ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'`,
    ),
  ],
);

export type Municipality = typeof municipalities.$inferSelect;
