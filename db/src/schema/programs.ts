import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { municipalities } from './municipalities.ts';
import { staffUsers } from './staff-users.ts';

export const programKinds = ['credit', 'uses'] as const;
export type ProgramKind = (typeof programKinds)[number];
export const programStatuses = ['draft', 'published', 'suspended'] as const;
export type ProgramStatus = (typeof programStatuses)[number];

/**
 * A voucher program (ordning). The id is also the on-chain ProgramId. The rules here mirror
 * what the contract enforces; the database keeps them so the API can explain them to people.
 * `budget_ore` is what has been funded (escrowed in eKrone) so far.
 */
export const programs = pgTable(
  'programs',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedByDefaultAsIdentity(),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    kind: text('kind', { enum: programKinds }).notNull(),
    creditOre: bigint('credit_ore', { mode: 'bigint' }),
    usesPerGrant: integer('uses_per_grant'),
    maxPerUseOre: bigint('max_per_use_ore', { mode: 'bigint' }).notNull(),
    usesPerWindow: integer('uses_per_window'),
    windowDays: integer('window_days'),
    categories: integer('categories').notNull(),
    validFrom: instant('valid_from').notNull(),
    validUntil: instant('valid_until').notNull(),
    budgetOre: bigint('budget_ore', { mode: 'bigint' }).notNull().default(sql`0`),
    status: text('status', { enum: programStatuses }).notNull().default('draft'),
    eligibilityRule: jsonb('eligibility_rule'),
    createdBy: uuid('created_by').references(() => staffUsers.id),
    createdAt: createdAt(),
    publishedAt: instant('published_at'),
  },
  (table) => [
    check('programs_kind_valid', sql`${table.kind} IN ('credit', 'uses')`),
    check('programs_status_valid', sql`${table.status} IN ('draft', 'published', 'suspended')`),
    // A credit program grants an amount, a uses program grants a number of uses; never both.
    check(
      'programs_kind_shape',
      sql`(${table.kind} = 'credit' AND ${table.creditOre} > 0 AND ${table.usesPerGrant} IS NULL) OR (${table.kind} = 'uses' AND ${table.usesPerGrant} > 0 AND ${table.creditOre} IS NULL)`,
    ),
    check('programs_max_per_use_positive', sql`${table.maxPerUseOre} > 0`),
    check('programs_budget_non_negative', sql`${table.budgetOre} >= 0`),
    check(
      'programs_window_complete',
      sql`(${table.usesPerWindow} IS NULL AND ${table.windowDays} IS NULL) OR (${table.usesPerWindow} > 0 AND ${table.windowDays} > 0)`,
    ),
    check('programs_categories_non_empty', sql`${table.categories} > 0`),
    check('programs_validity_ordered', sql`${table.validUntil} > ${table.validFrom}`),
    check('programs_published_has_time', sql`${table.status} = 'draft' OR ${table.publishedAt} IS NOT NULL`),
    index('programs_municipality_status_idx').on(table.municipalityId, table.status),
  ],
);

export type Program = typeof programs.$inferSelect;
export type NewProgram = typeof programs.$inferInsert;
