import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, instant } from './columns.ts';
import { programs } from './programs.ts';
import { providers } from './providers.ts';

export const redemptionStatuses = ['pending', 'confirmed', 'rejected'] as const;
export type RedemptionStatus = (typeof redemptionStatuses)[number];
export const scanPassKinds = ['static', 'rotating'] as const;
export type ScanPassKind = (typeof scanPassKinds)[number];

/**
 * A pass a provider's staff scanned. A rotating presentation is single-use, so the scan
 * consumes it and the redemption refers to the scan instead of the QR text. Holds only the
 * pseudonymous account, never who the person is.
 */
export const scans = pgTable(
  'scans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    providerId: integer('provider_id')
      .notNull()
      .references(() => providers.id),
    account: text('account').notNull(),
    passKind: text('pass_kind', { enum: scanPassKinds }).notNull(),
    passSerial: bigint('pass_serial', { mode: 'bigint' }),
    expiresAt: instant('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    check('scans_account_format', sql`${table.account} ~ '^0x[0-9a-f]{64}$'`),
    check('scans_pass_kind_valid', sql`${table.passKind} IN ('static', 'rotating')`),
    index('scans_provider_created_idx').on(table.providerId, table.createdAt),
  ],
);

/**
 * One row per terminal-signed redemption, keyed like the contract's replay protection:
 * (terminal address, redemption id). Written in the same transaction as its outbox intent,
 * so an acknowledged redemption is never lost; `pending` rows count against the limits so
 * two terminals cannot both spend the last use. The chain decides: a revert makes the row
 * `rejected`, the Redeemed event makes it `confirmed` with its period.
 */
export const redemptions = pgTable(
  'redemptions',
  {
    terminal: text('terminal').notNull(),
    redemptionId: bigint('redemption_id', { mode: 'bigint' }).notNull(),
    providerId: integer('provider_id')
      .notNull()
      .references(() => providers.id),
    programId: bigint('program_id', { mode: 'bigint' })
      .notNull()
      .references(() => programs.id),
    account: text('account').notNull(),
    amountOre: bigint('amount_ore', { mode: 'bigint' }).notNull(),
    deadline: bigint('deadline', { mode: 'bigint' }).notNull(),
    signature: text('signature').notNull(),
    scanId: uuid('scan_id').references(() => scans.id),
    // sha256 of the canonical request: the same id with another payload is refused.
    payloadHash: bytea('payload_hash').notNull(),
    status: text('status', { enum: redemptionStatuses }).notNull().default('pending'),
    rejectionCode: text('rejection_code'),
    outboxId: bigint('outbox_id', { mode: 'bigint' }),
    txHash: text('tx_hash'),
    periodId: bigint('period_id', { mode: 'bigint' }),
    createdAt: createdAt(),
    confirmedAt: instant('confirmed_at'),
  },
  (table) => [
    primaryKey({ name: 'redemptions_pkey', columns: [table.terminal, table.redemptionId] }),
    check('redemptions_terminal_format', sql`${table.terminal} ~ '^0x[0-9a-f]{40}$'`),
    check('redemptions_account_format', sql`${table.account} ~ '^0x[0-9a-f]{64}$'`),
    check('redemptions_amount_positive', sql`${table.amountOre} > 0`),
    check('redemptions_id_non_negative', sql`${table.redemptionId} >= 0`),
    check('redemptions_status_valid', sql`${table.status} IN ('pending', 'confirmed', 'rejected')`),
    check(
      'redemptions_status_shape',
      sql`(${table.status} = 'pending' AND ${table.rejectionCode} IS NULL)
        OR (${table.status} = 'confirmed' AND ${table.periodId} IS NOT NULL AND ${table.txHash} IS NOT NULL AND ${table.confirmedAt} IS NOT NULL)
        OR (${table.status} = 'rejected' AND ${table.rejectionCode} IS NOT NULL)`,
    ),
    index('redemptions_account_program_idx').on(table.account, table.programId),
    index('redemptions_provider_created_idx').on(table.providerId, table.createdAt),
    index('redemptions_period_provider_idx').on(table.periodId, table.providerId),
    index('redemptions_outbox_idx').on(table.outboxId),
    index('redemptions_status_idx').on(table.status),
  ],
);

export type Redemption = typeof redemptions.$inferSelect;
export type NewRedemption = typeof redemptions.$inferInsert;
export type Scan = typeof scans.$inferSelect;
