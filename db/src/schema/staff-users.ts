import { sql } from 'drizzle-orm';
import { type AnyPgColumn, check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, instant } from './columns.ts';
import { municipalities } from './municipalities.ts';
import { providers } from './providers.ts';

export const staffRoles = [
  'admin',
  'caseworker',
  'finance',
  'provider_staff',
  'auditor',
  'operator',
] as const;
export type StaffRole = (typeof staffRoles)[number];

/**
 * People who work in the service: municipal staff, provider staff and the platform's
 * operators. An operator belongs to no municipality: they create municipalities and watch the
 * service's health, and see no municipality's people or figures. Finance officers hold
 * their own on-chain key (wrapped with the master key) so that the contract's rule "two
 * different officers approve a settlement" is enforced by two different signatures.
 */
export const staffUsers = pgTable(
  'staff_users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: integer('municipality_id').references(() => municipalities.id),
    username: text('username').notNull().unique('staff_users_username_unique'),
    role: text('role', { enum: staffRoles }).notNull(),
    providerId: integer('provider_id').references((): AnyPgColumn => providers.id),
    // "scrypt$N$r$p$salt$hash" so the work factor can be raised without a migration.
    passwordHash: text('password_hash').notNull(),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: instant('locked_until'),
    chainAddress: text('chain_address'),
    chainKeyWrapped: bytea('chain_key_wrapped'),
    createdAt: createdAt(),
    disabledAt: instant('disabled_at'),
  },
  (table) => [
    check(
      'staff_users_role_valid',
      sql`${table.role} IN ('admin', 'caseworker', 'finance', 'provider_staff', 'auditor', 'operator')`,
    ),
    // Everybody but an operator works for exactly one municipality.
    check(
      'staff_users_municipality_unless_operator',
      sql`(${table.role} = 'operator') = (${table.municipalityId} IS NULL)`,
    ),
    // Provider staff are bound to exactly one provider; nobody else is bound to any.
    check(
      'staff_users_provider_only_for_provider_staff',
      sql`(${table.role} = 'provider_staff') = (${table.providerId} IS NOT NULL)`,
    ),
    check('staff_users_failed_logins_non_negative', sql`${table.failedLogins} >= 0`),
    check(
      'staff_users_chain_key_complete',
      sql`(${table.chainAddress} IS NULL) = (${table.chainKeyWrapped} IS NULL)`,
    ),
    check(
      'staff_users_chain_address_format',
      sql`${table.chainAddress} IS NULL OR ${table.chainAddress} ~ '^0x[0-9a-f]{40}$'`,
    ),
    index('staff_users_municipality_idx').on(table.municipalityId),
    index('staff_users_provider_idx').on(table.providerId),
  ],
);

export type StaffUser = typeof staffUsers.$inferSelect;
export type NewStaffUser = typeof staffUsers.$inferInsert;
