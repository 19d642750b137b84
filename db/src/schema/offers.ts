import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { providers } from './providers.ts';

/** What a provider offers to voucher holders, shown in the citizen app's catalogue. */
export const offers = pgTable(
  'offers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    providerId: integer('provider_id')
      .notNull()
      .references(() => providers.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    priceOre: bigint('price_ore', { mode: 'bigint' }).notNull(),
    // A single category bit: an offer belongs to exactly one category.
    category: integer('category').notNull(),
    createdAt: createdAt(),
    withdrawnAt: instant('withdrawn_at'),
  },
  (table) => [
    check('offers_price_non_negative', sql`${table.priceOre} >= 0`),
    check(
      'offers_category_single_bit',
      sql`${table.category} > 0 AND (${table.category} & (${table.category} - 1)) = 0`,
    ),
    index('offers_provider_idx').on(table.providerId),
    index('offers_category_idx').on(table.category),
  ],
);

export type Offer = typeof offers.$inferSelect;
