import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bytea, createdAt, instant } from './columns.ts';
import { municipalities } from './municipalities.ts';
import { programs } from './programs.ts';
import { providers } from './providers.ts';
import { redemptions } from './redemptions.ts';
import { staffUsers } from './staff-users.ts';

export const reversalKinds = ['void', 'refund'] as const;
export type ReversalKind = (typeof reversalKinds)[number];
export const reversalStatuses = ['pending', 'confirmed', 'rejected'] as const;
export type ReversalStatus = (typeof reversalStatuses)[number];
/** Why a provider gave money back; a code, never free text (no personal data). */
export const reversalReasons = ['mistyped', 'cancelled', 'returned', 'dispute', 'other'] as const;
export type ReversalReason = (typeof reversalReasons)[number];

/**
 * A provider giving back (part of) a redemption, signed by one of its terminals (EIP-712
 * `Reversal`, bound to the original redemption). A void names the redemption's period and
 * lands only while it is open; a refund (period 0) lands in whichever period is open. Keyed
 * like the contract's replay protection: the reversal uses an id of the signing terminal, from
 * the same counter as its redemptions, so it applies exactly once. The chain decides: the
 * RedemptionReversed event makes the row `confirmed` with the period it landed in, how much
 * came off the provider's claim there (the rest became a receivable) and whether the citizen
 * got the credit back.
 */
export const redemptionReversals = pgTable(
  'redemption_reversals',
  {
    terminal: text('terminal').notNull(),
    reversalId: bigint('reversal_id', { mode: 'bigint' }).notNull(),
    originalTerminal: text('original_terminal').notNull(),
    originalRedemptionId: bigint('original_redemption_id', { mode: 'bigint' }).notNull(),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    providerId: integer('provider_id')
      .notNull()
      .references(() => providers.id),
    programId: bigint('program_id', { mode: 'bigint' })
      .notNull()
      .references(() => programs.id),
    account: text('account').notNull(),
    kind: text('kind', { enum: reversalKinds }).notNull(),
    reason: text('reason', { enum: reversalReasons }).notNull(),
    amountOre: bigint('amount_ore', { mode: 'bigint' }).notNull(),
    /** The period a void must land in; null for a refund. */
    requiredPeriodId: bigint('required_period_id', { mode: 'bigint' }),
    deadline: bigint('deadline', { mode: 'bigint' }).notNull(),
    signature: text('signature').notNull(),
    payloadHash: bytea('payload_hash').notNull(),
    disputeId: uuid('dispute_id'),
    status: text('status', { enum: reversalStatuses }).notNull().default('pending'),
    rejectionCode: text('rejection_code'),
    outboxId: bigint('outbox_id', { mode: 'bigint' }),
    txHash: text('tx_hash'),
    /** Where it landed on chain, and how: off the claim there, the rest a receivable. */
    periodId: bigint('period_id', { mode: 'bigint' }),
    fromClaimOre: bigint('from_claim_ore', { mode: 'bigint' }),
    creditRestored: boolean('credit_restored'),
    createdBy: uuid('created_by').references(() => staffUsers.id),
    createdAt: createdAt(),
    confirmedAt: instant('confirmed_at'),
  },
  (table) => [
    primaryKey({ name: 'redemption_reversals_pkey', columns: [table.terminal, table.reversalId] }),
    foreignKey({
      name: 'redemption_reversals_original_fk',
      columns: [table.originalTerminal, table.originalRedemptionId],
      foreignColumns: [redemptions.terminal, redemptions.redemptionId],
    }),
    check('redemption_reversals_terminal_format', sql`${table.terminal} ~ '^0x[0-9a-f]{40}$'`),
    check('redemption_reversals_amount_positive', sql`${table.amountOre} > 0`),
    check('redemption_reversals_kind_valid', sql`${table.kind} IN ('void', 'refund')`),
    check(
      'redemption_reversals_reason_valid',
      sql`${table.reason} IN ('mistyped', 'cancelled', 'returned', 'dispute', 'other')`,
    ),
    check(
      'redemption_reversals_void_names_period',
      sql`(${table.kind} = 'void') = (${table.requiredPeriodId} IS NOT NULL)`,
    ),
    check('redemption_reversals_status_valid', sql`${table.status} IN ('pending', 'confirmed', 'rejected')`),
    check(
      'redemption_reversals_status_shape',
      sql`(${table.status} = 'pending' AND ${table.rejectionCode} IS NULL)
        OR (${table.status} = 'confirmed' AND ${table.periodId} IS NOT NULL AND ${table.txHash} IS NOT NULL
            AND ${table.fromClaimOre} IS NOT NULL AND ${table.creditRestored} IS NOT NULL)
        OR (${table.status} = 'rejected' AND ${table.rejectionCode} IS NOT NULL)`,
    ),
    index('redemption_reversals_original_idx').on(table.originalTerminal, table.originalRedemptionId),
    index('redemption_reversals_municipality_period_idx').on(table.municipalityId, table.periodId),
    index('redemption_reversals_provider_created_idx').on(table.providerId, table.createdAt),
    index('redemption_reversals_account_idx').on(table.account),
  ],
);

export type RedemptionReversal = typeof redemptionReversals.$inferSelect;

export const disputeRaisers = ['citizen', 'caseworker'] as const;
export type DisputeRaiser = (typeof disputeRaisers)[number];
/** What the citizen says is wrong; a code, never free text. */
export const disputeReasons = ['not_mine', 'wrong_amount', 'not_delivered', 'other'] as const;
export type DisputeReason = (typeof disputeReasons)[number];
/**
 * open: waiting for the provider or a caseworker. refunded: the provider gave the money back.
 * upheld / rejected: a caseworker decided for or against the citizen.
 */
export const disputeStatuses = ['open', 'refunded', 'upheld', 'rejected'] as const;
export type DisputeStatus = (typeof disputeStatuses)[number];

/**
 * A citizen (in the app) or a caseworker flags a redemption ("I did not buy this"). The
 * provider sees it and can refund; a caseworker decides. At most one open dispute per
 * redemption. Every step is also written to the audit log.
 */
export const disputes = pgTable(
  'disputes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    terminal: text('terminal').notNull(),
    redemptionId: bigint('redemption_id', { mode: 'bigint' }).notNull(),
    providerId: integer('provider_id')
      .notNull()
      .references(() => providers.id),
    account: text('account').notNull(),
    raisedBy: text('raised_by', { enum: disputeRaisers }).notNull(),
    raisedByStaff: uuid('raised_by_staff').references(() => staffUsers.id),
    reason: text('reason', { enum: disputeReasons }).notNull(),
    status: text('status', { enum: disputeStatuses }).notNull().default('open'),
    decidedBy: uuid('decided_by').references(() => staffUsers.id),
    decidedAt: instant('decided_at'),
    createdAt: createdAt(),
  },
  (table) => [
    foreignKey({
      name: 'disputes_redemption_fk',
      columns: [table.terminal, table.redemptionId],
      foreignColumns: [redemptions.terminal, redemptions.redemptionId],
    }),
    check('disputes_raised_by_valid', sql`${table.raisedBy} IN ('citizen', 'caseworker')`),
    check(
      'disputes_reason_valid',
      sql`${table.reason} IN ('not_mine', 'wrong_amount', 'not_delivered', 'other')`,
    ),
    check('disputes_status_valid', sql`${table.status} IN ('open', 'refunded', 'upheld', 'rejected')`),
    check(
      'disputes_decision_shape',
      sql`(${table.status} IN ('upheld', 'rejected')) = (${table.decidedBy} IS NOT NULL AND ${table.decidedAt} IS NOT NULL)`,
    ),
    uniqueIndex('disputes_one_open_per_redemption')
      .on(table.terminal, table.redemptionId)
      .where(sql`${table.status} = 'open'`),
    index('disputes_municipality_status_idx').on(table.municipalityId, table.status),
    index('disputes_provider_status_idx').on(table.providerId, table.status),
  ],
);

export type Dispute = typeof disputes.$inferSelect;
