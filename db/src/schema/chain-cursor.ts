import { bigint, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

/** How far each chain event indexer has read, with the block hash to detect re-orgs. */
export const chainCursor = pgTable('chain_cursor', {
  name: text('name').primaryKey(),
  blockNumber: bigint('block_number', { mode: 'bigint' }).notNull(),
  blockHash: text('block_hash').notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});
