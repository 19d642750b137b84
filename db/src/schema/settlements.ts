import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { municipalities } from './municipalities.ts';
import { staffUsers } from './staff-users.ts';

export const settlementStatuses = [
  'proposing',
  'proposed',
  'approving',
  'approved',
  'executing',
  'paid',
  'rejected',
] as const;
export type SettlementStatus = (typeof settlementStatuses)[number];

/**
 * One settlement batch for a closed chain period: officer A proposes (with the total the
 * reconciliation found), a different officer B approves, then payouts run in chunks. The
 * `*ing` states mean "the chain write is on its way in the outbox". A proposal the chain
 * refused is kept as 'rejected' for the record, and the period can be proposed again.
 */
export const settlements = pgTable(
  'settlements',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedByDefaultAsIdentity(),
    periodId: integer('period_id').notNull(),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    status: text('status', { enum: settlementStatuses }).notNull(),
    totalOre: bigint('total_ore', { mode: 'bigint' }).notNull(),
    providerCount: integer('provider_count').notNull(),
    chunkSize: integer('chunk_size').notNull(),
    proposedBy: uuid('proposed_by')
      .notNull()
      .references(() => staffUsers.id),
    proposedAt: instant('proposed_at').notNull(),
    proposeOutboxId: bigint('propose_outbox_id', { mode: 'bigint' }),
    approvedBy: uuid('approved_by').references(() => staffUsers.id),
    approvedAt: instant('approved_at'),
    approveOutboxId: bigint('approve_outbox_id', { mode: 'bigint' }),
    executedBy: uuid('executed_by').references(() => staffUsers.id),
    executionStartedAt: instant('execution_started_at'),
    // Bumped each time execution enqueues chunks, so a resumed run gets fresh idempotency keys.
    executionRound: integer('execution_round').notNull().default(0),
    paidAt: instant('paid_at'),
    chainError: text('chain_error'),
    createdAt: createdAt(),
  },
  (table) => [
    check(
      'settlements_status_valid',
      sql`${table.status} IN ('proposing', 'proposed', 'approving', 'approved', 'executing', 'paid', 'rejected')`,
    ),
    check('settlements_period_positive', sql`${table.periodId} > 0`),
    check('settlements_total_non_negative', sql`${table.totalOre} >= 0`),
    check('settlements_provider_count_non_negative', sql`${table.providerCount} >= 0`),
    check('settlements_chunk_size_positive', sql`${table.chunkSize} > 0`),
    // Two different officers: the database says so too, not only the contract.
    check(
      'settlements_two_officers',
      sql`${table.approvedBy} IS NULL OR ${table.approvedBy} <> ${table.proposedBy}`,
    ),
    // At most one live batch per period of a municipality; refused proposals stay as history.
    // Periods are numbered per municipality, so period 1 of two municipalities are two.
    uniqueIndex('settlements_period_live_unique')
      .on(table.municipalityId, table.periodId)
      .where(sql`${table.status} <> 'rejected'`),
    index('settlements_municipality_idx').on(table.municipalityId),
  ],
);

export type Settlement = typeof settlements.$inferSelect;
export type NewSettlement = typeof settlements.$inferInsert;
