import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

export const chainEventContracts = ['hub', 'ekrone'] as const;
export type ChainEventContract = (typeof chainEventContracts)[number];

/**
 * The read model of what the contracts said: every hub and eKrone event, decoded, as the
 * chain indexer stored it up to (head − confirmations). Rows above a re-org's common
 * ancestor are deleted and indexed again, so this table always describes one chain history.
 * Arguments are JSON with bigints as decimal strings; they never hold personal data
 * (the contracts only know pseudonymous accounts, ids, addresses and amounts).
 */
export const chainEvents = pgTable(
  'chain_events',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    chainId: integer('chain_id').notNull(),
    blockNumber: bigint('block_number', { mode: 'bigint' }).notNull(),
    blockHash: text('block_hash').notNull(),
    logIndex: integer('log_index').notNull(),
    txHash: text('tx_hash').notNull(),
    contract: text('contract', { enum: chainEventContracts }).notNull(),
    eventName: text('event_name').notNull(),
    args: jsonb('args').notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    // A log is identified by its position in the chain; re-indexing the same block is a no-op.
    unique('chain_events_block_log_unique').on(table.blockNumber, table.logIndex),
    check('chain_events_contract_valid', sql`${table.contract} IN ('hub', 'ekrone')`),
    check('chain_events_block_non_negative', sql`${table.blockNumber} >= 0`),
    check('chain_events_log_index_non_negative', sql`${table.logIndex} >= 0`),
    check(
      'chain_events_hashes_format',
      sql`${table.blockHash} ~ '^0x[0-9a-f]{64}$' AND ${table.txHash} ~ '^0x[0-9a-f]{64}$'`,
    ),
    index('chain_events_name_block_idx').on(table.eventName, table.blockNumber),
    index('chain_events_tx_hash_idx').on(table.txHash),
  ],
);

export type ChainEvent = typeof chainEvents.$inferSelect;
export type NewChainEvent = typeof chainEvents.$inferInsert;
