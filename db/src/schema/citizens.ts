import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, instant } from './columns.ts';
import { municipalities } from './municipalities.ts';

/**
 * The personal-data vault. There is deliberately no plaintext column: everything about the
 * person is in `sealed_record`, encrypted with a per-citizen data key that is itself wrapped
 * by the master key. The CPR number is findable only through a keyed blind index. Erasure
 * (GDPR art. 17) nulls the key, the record and the index, which crypto-shreds the person.
 */
export const citizens = pgTable(
  'citizens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    cprBlindIndex: bytea('cpr_blind_index'),
    wrappedDataKey: bytea('wrapped_data_key'),
    sealedRecord: bytea('sealed_record'),
    createdAt: createdAt(),
    erasedAt: instant('erased_at'),
    /** Set when another municipality enrolled the person: its grants here have ended. */
    movedOutAt: instant('moved_out_at'),
  },
  (table) => [
    check(
      'citizens_erasure_destroys_everything',
      sql`${table.erasedAt} IS NULL OR (${table.cprBlindIndex} IS NULL AND ${table.wrappedDataKey} IS NULL AND ${table.sealedRecord} IS NULL)`,
    ),
    check(
      'citizens_live_record_complete',
      sql`${table.erasedAt} IS NOT NULL OR (${table.cprBlindIndex} IS NOT NULL AND ${table.wrappedDataKey} IS NOT NULL AND ${table.sealedRecord} IS NOT NULL)`,
    ),
    // One live record per person per municipality: a person who moves is enrolled by the new
    // municipality without the old one's record standing in the way or being revealed.
    uniqueIndex('citizens_municipality_cpr_unique')
      .on(table.municipalityId, table.cprBlindIndex)
      .where(sql`${table.movedOutAt} IS NULL`),
    index('citizens_cpr_blind_index_idx').on(table.cprBlindIndex),
    index('citizens_municipality_idx').on(table.municipalityId),
  ],
);

export type Citizen = typeof citizens.$inferSelect;
export type NewCitizen = typeof citizens.$inferInsert;
