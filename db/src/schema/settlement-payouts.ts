import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  foreignKey,
  index,
  integer,
  type PgTableExtraConfigValue,
  pgTable,
  primaryKey,
  text,
} from 'drizzle-orm/pg-core';
import { bankNotificationEntries } from './bank-notifications.ts';
import { instant } from './columns.ts';
import { providers } from './providers.ts';
import { settlements } from './settlements.ts';

export const settlementPayoutStatuses = ['pending', 'paid'] as const;
export type SettlementPayoutStatus = (typeof settlementPayoutStatuses)[number];

/**
 * What one provider is owed in a settlement, frozen at proposal from the reconciled chain
 * accruals. `claim_ore` is its claim for the period (net of voids and refunds that landed
 * there); `offset_ore` is what the chain keeps of it to pay off what the provider owes from
 * earlier refunds (its receivable); `amount_ore` = claim - offset is what is paid, and only a
 * line with an amount goes into the bank file. `outbox_id` is the payout chunk carrying it; a chunk the chain refused is
 * cleared so a resumed execution puts the provider in a new chunk. Paid means the chain
 * emitted ProviderPaid for it. The IBAN is copied at proposal: the bank file must pay the
 * account the approvers saw. Bank-confirmed means an imported camt entry showed the bank booked
 * exactly this amount to this account (`bank_confirmed_entry_id` names it); the on-chain burn
 * of what was paid out waits for it.
 */
export const settlementPayouts = pgTable(
  'settlement_payouts',
  {
    settlementId: bigint('settlement_id', { mode: 'bigint' })
      .notNull()
      .references(() => settlements.id),
    providerId: integer('provider_id')
      .notNull()
      .references(() => providers.id),
    claimOre: bigint('claim_ore', { mode: 'bigint' }).notNull(),
    offsetOre: bigint('offset_ore', { mode: 'bigint' }).notNull().default(sql`0`),
    amountOre: bigint('amount_ore', { mode: 'bigint' }).notNull(),
    redemptionCount: integer('redemption_count').notNull(),
    iban: text('iban').notNull(),
    endToEndId: text('end_to_end_id').notNull(),
    status: text('status', { enum: settlementPayoutStatuses }).notNull().default('pending'),
    outboxId: bigint('outbox_id', { mode: 'bigint' }),
    paidTxHash: text('paid_tx_hash'),
    paidAt: instant('paid_at'),
    bankConfirmedAt: instant('bank_confirmed_at'),
    bankConfirmedEntryId: bigint('bank_confirmed_entry_id', { mode: 'bigint' }),
  },
  // Typed by hand: this table and the bank entries refer to each other, which TypeScript
  // cannot infer through.
  (table): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'settlement_payouts_pk', columns: [table.settlementId, table.providerId] }),
    check('settlement_payouts_claim_positive', sql`${table.claimOre} > 0`),
    check(
      'settlement_payouts_amount_is_claim_less_offset',
      sql`${table.offsetOre} >= 0 AND ${table.amountOre} = ${table.claimOre} - ${table.offsetOre} AND ${table.amountOre} >= 0`,
    ),
    check('settlement_payouts_count_non_negative', sql`${table.redemptionCount} >= 0`),
    check('settlement_payouts_status_valid', sql`${table.status} IN ('pending', 'paid')`),
    check(
      'settlement_payouts_paid_has_tx',
      sql`${table.status} = 'pending' OR (${table.paidTxHash} IS NOT NULL AND ${table.paidAt} IS NOT NULL)`,
    ),
    // Named here: the generated name would pass PostgreSQL's 63-character limit.
    foreignKey({
      name: 'settlement_payouts_bank_entry_fk',
      columns: [table.bankConfirmedEntryId],
      foreignColumns: [bankNotificationEntries.id],
    }),
    check(
      'settlement_payouts_bank_confirmation_shape',
      sql`(${table.bankConfirmedAt} IS NULL) = (${table.bankConfirmedEntryId} IS NULL)`,
    ),
    check('settlement_payouts_end_to_end_length', sql`length(${table.endToEndId}) <= 35`),
    index('settlement_payouts_outbox_idx').on(table.outboxId),
    index('settlement_payouts_provider_idx').on(table.providerId),
  ],
);

export type SettlementPayout = typeof settlementPayouts.$inferSelect;
