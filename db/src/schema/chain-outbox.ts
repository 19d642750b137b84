import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

export const outboxStatuses = ['queued', 'signed', 'sent', 'confirmed', 'failed'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/**
 * Every transaction the service signed, stored before it is broadcast: these exact bytes are
 * what is sent, now or after a crash, so nothing is ever signed twice. One transaction may
 * carry many outbox rows (a batch of redemptions), so the bytes live here once.
 */
export const chainTransactions = pgTable(
  'chain_transactions',
  {
    hash: text('hash').primaryKey(),
    // 'operator' or a staff user's id, as on the outbox rows it carries.
    signer: text('signer').notNull(),
    nonce: bigint('nonce', { mode: 'bigint' }).notNull(),
    rawTx: text('raw_tx').notNull(),
    createdAt: createdAt(),
  },
  // The next nonce of a signer is one past its highest stored one, read at every signing.
  (table) => [index('chain_transactions_signer_nonce_idx').on(table.signer, table.nonce)],
);

export type ChainTransactionRow = typeof chainTransactions.$inferSelect;

/**
 * Every chain write, as an intent inserted in the same transaction as the state change it
 * belongs to. The chain gateway signs (storing the transaction in chain_transactions before
 * broadcast), sends and confirms rows in id order. Arguments are JSON with bigints as decimal strings.
 */
export const chainOutbox = pgTable(
  'chain_outbox',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    createdAt: createdAt(),
    kind: text('kind').notNull(),
    contract: text('contract').notNull(),
    functionName: text('function_name').notNull(),
    args: jsonb('args').notNull(),
    // 'operator' (the service's key) or the id of the staff user whose key must sign.
    signer: text('signer').notNull().default('operator'),
    status: text('status', { enum: outboxStatuses }).notNull().default('queued'),
    nonce: bigint('nonce', { mode: 'bigint' }),
    txHash: text('tx_hash').references(() => chainTransactions.hash),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    confirmedBlock: bigint('confirmed_block', { mode: 'bigint' }),
    idempotencyKey: text('idempotency_key').notNull().unique('chain_outbox_idempotency_key_unique'),
  },
  (table) => [
    check(
      'chain_outbox_status_valid',
      sql`${table.status} IN ('queued', 'signed', 'sent', 'confirmed', 'failed')`,
    ),
    check('chain_outbox_attempts_non_negative', sql`${table.attempts} >= 0`),
    check('chain_outbox_nonce_non_negative', sql`${table.nonce} IS NULL OR ${table.nonce} >= 0`),
    // Once signed, the exact bytes to (re)broadcast are on disk (in chain_transactions).
    check(
      'chain_outbox_signed_has_tx',
      sql`${table.status} IN ('queued', 'failed') OR (${table.txHash} IS NOT NULL AND ${table.nonce} IS NOT NULL)`,
    ),
    index('chain_outbox_status_id_idx').on(table.status, table.id),
    index('chain_outbox_tx_hash_idx').on(table.txHash),
  ],
);

export type ChainOutboxRow = typeof chainOutbox.$inferSelect;
