import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

/**
 * The tenants. The id is the official municipality code (kommunekode, e.g. 101), so it reads
 * the same in every system and a second municipality is a row here, not a rewrite.
 */
export const municipalities = pgTable(
  'municipalities',
  {
    id: integer('id').primaryKey(),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (table) => [check('municipalities_id_range', sql`${table.id} BETWEEN 1 AND 999`)],
);

export type Municipality = typeof municipalities.$inferSelect;
