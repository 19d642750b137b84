import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { bytea, instant } from './columns.ts';

/**
 * Append-only, hash-chained record of every state change by staff. Each row's hash is
 * sha256(prev_hash || canonical JSON of the row), so editing or deleting any row breaks every
 * later link. A trigger (in the migration) refuses UPDATE and DELETE outright. `details` must
 * never hold personal data: ids and amounts only.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    // Assigned by appendAudit under an advisory lock, so the sequence has no gaps.
    seq: bigint('seq', { mode: 'bigint' }).primaryKey(),
    at: instant('at').notNull(),
    municipalityId: integer('municipality_id'),
    actorId: text('actor_id').notNull(),
    actorRole: text('actor_role').notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    details: jsonb('details').notNull().default(sql`'{}'::jsonb`),
    prevHash: bytea('prev_hash').notNull(),
    hash: bytea('hash').notNull(),
  },
  (table) => [
    check('audit_log_seq_positive', sql`${table.seq} > 0`),
    check(
      'audit_log_hash_32_bytes',
      sql`octet_length(${table.hash}) = 32 AND octet_length(${table.prevHash}) = 32`,
    ),
    index('audit_log_subject_idx').on(table.subjectType, table.subjectId),
    index('audit_log_municipality_at_idx').on(table.municipalityId, table.at),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
