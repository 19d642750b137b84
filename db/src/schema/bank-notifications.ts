import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bytea, createdAt, instant } from './columns.ts';
import { municipalities } from './municipalities.ts';
import { settlementPayouts } from './settlement-payouts.ts';
import { staffUsers } from './staff-users.ts';

/** The bank's ISO 20022 answers we read: the debit notification and the account statement. */
export const bankNotificationKinds = ['camt.054.001.02', 'camt.053.001.02'] as const;
export type BankNotificationKind = (typeof bankNotificationKinds)[number];

/**
 * confirmed: the bank booked exactly the payout's amount to the payout's account.
 * differs: a known payout, but the amount or the account is not what we sent (both kept).
 * unmatched: an end-to-end id this municipality never sent.
 * duplicate: the payout was already confirmed by an earlier entry.
 * pending: the bank has the transaction but has not booked it yet (Sts PDNG).
 */
export const bankNotificationOutcomes = [
  'confirmed',
  'differs',
  'unmatched',
  'duplicate',
  'pending',
] as const;
export type BankNotificationOutcome = (typeof bankNotificationOutcomes)[number];

/**
 * One camt file finance imported. A file is imported once per municipality (by its sha256):
 * importing it again answers with this row, so a retried upload never confirms anything twice.
 * The counts are what the import found, kept so the list needs no aggregate over entries.
 * The bank's creation time is kept as the bank wrote it: ISO 20022 allows a local time without
 * an offset, and inventing a zone would change what the bank said.
 */
export const bankNotificationImports = pgTable(
  'bank_notification_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    kind: text('kind', { enum: bankNotificationKinds }).notNull(),
    messageId: text('message_id').notNull(),
    messageCreatedAt: text('message_created_at').notNull(),
    fileSha256: bytea('file_sha256').notNull(),
    importedBy: uuid('imported_by')
      .notNull()
      .references(() => staffUsers.id),
    importedAt: instant('imported_at').notNull().defaultNow(),
    entryCount: integer('entry_count').notNull(),
    confirmedCount: integer('confirmed_count').notNull(),
    differsCount: integer('differs_count').notNull(),
    unmatchedCount: integer('unmatched_count').notNull(),
    duplicateCount: integer('duplicate_count').notNull(),
    pendingCount: integer('pending_count').notNull(),
    /** Credit entries (money coming in) in the file: not our payouts, so only counted. */
    ignoredCreditCount: integer('ignored_credit_count').notNull(),
  },
  (table) => [
    check(
      'bank_notification_imports_kind_valid',
      sql`${table.kind} IN ('camt.054.001.02', 'camt.053.001.02')`,
    ),
    check('bank_notification_imports_sha256_length', sql`length(${table.fileSha256}) = 32`),
    check('bank_notification_imports_message_id_length', sql`length(${table.messageId}) BETWEEN 1 AND 35`),
    check(
      'bank_notification_imports_counts_add_up',
      sql`${table.confirmedCount} >= 0 AND ${table.differsCount} >= 0 AND ${table.unmatchedCount} >= 0
        AND ${table.duplicateCount} >= 0 AND ${table.pendingCount} >= 0 AND ${table.ignoredCreditCount} >= 0
        AND ${table.entryCount} = ${table.confirmedCount} + ${table.differsCount} + ${table.unmatchedCount}
          + ${table.duplicateCount} + ${table.pendingCount}`,
    ),
    uniqueIndex('bank_notification_imports_file_unique').on(table.municipalityId, table.fileSha256),
    index('bank_notification_imports_municipality_idx').on(table.municipalityId, table.importedAt),
  ],
);

export type BankNotificationImport = typeof bankNotificationImports.$inferSelect;

/**
 * One debit transaction of an imported file and what it matched. The amount and account are
 * the bank's; `expected_*` are the payout's, kept beside them when they differ so finance
 * sees both. IBANs are providers' business accounts, stored as the payout stores them.
 * At most one entry confirms a payout: the partial unique index makes "nothing is confirmed
 * twice" a rule of the database, not only of the import code.
 */
export const bankNotificationEntries = pgTable(
  'bank_notification_entries',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedByDefaultAsIdentity(),
    importId: uuid('import_id').notNull(),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    /** Position in the file, so the entries list reads in the bank's order. */
    position: integer('position').notNull(),
    endToEndId: text('end_to_end_id'),
    amountOre: bigint('amount_ore', { mode: 'bigint' }).notNull(),
    creditorIban: text('creditor_iban'),
    bookingDate: date('booking_date', { mode: 'string' }),
    bankStatus: text('bank_status').notNull(),
    settlementId: bigint('settlement_id', { mode: 'bigint' }),
    providerId: integer('provider_id'),
    expectedAmountOre: bigint('expected_amount_ore', { mode: 'bigint' }),
    expectedIban: text('expected_iban'),
    outcome: text('outcome', { enum: bankNotificationOutcomes }).notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    // Named here: the generated names would pass PostgreSQL's 63-character limit.
    foreignKey({
      name: 'bank_notification_entries_import_fk',
      columns: [table.importId],
      foreignColumns: [bankNotificationImports.id],
    }),
    foreignKey({
      name: 'bank_notification_entries_payout_fk',
      columns: [table.settlementId, table.providerId],
      foreignColumns: [settlementPayouts.settlementId, settlementPayouts.providerId],
    }),
    check('bank_notification_entries_amount_positive', sql`${table.amountOre} > 0`),
    check('bank_notification_entries_position_non_negative', sql`${table.position} >= 0`),
    check(
      'bank_notification_entries_outcome_valid',
      sql`${table.outcome} IN ('confirmed', 'differs', 'unmatched', 'duplicate', 'pending')`,
    ),
    check(
      'bank_notification_entries_match_shape',
      sql`(${table.settlementId} IS NULL) = (${table.providerId} IS NULL)
        AND ((${table.outcome} = 'unmatched') = (${table.settlementId} IS NULL))`,
    ),
    uniqueIndex('bank_notification_entries_position_unique').on(table.importId, table.position),
    uniqueIndex('bank_notification_entries_one_confirmation')
      .on(table.settlementId, table.providerId)
      .where(sql`${table.outcome} = 'confirmed'`),
    index('bank_notification_entries_payout_idx').on(table.settlementId, table.providerId),
    index('bank_notification_entries_municipality_idx').on(table.municipalityId),
  ],
);

export type BankNotificationEntry = typeof bankNotificationEntries.$inferSelect;
