import { bigint, index, integer, pgTable, primaryKey } from 'drizzle-orm/pg-core';
import { programs } from './programs.ts';
import { providers } from './providers.ts';

/**
 * A program's optional provider allow-list. No rows means "any active provider of the
 * program's categories"; rows narrow it to exactly these providers.
 */
export const programProviders = pgTable(
  'program_providers',
  {
    programId: bigint('program_id', { mode: 'bigint' })
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    providerId: integer('provider_id')
      .notNull()
      .references(() => providers.id),
  },
  (table) => [
    primaryKey({ name: 'program_providers_pk', columns: [table.programId, table.providerId] }),
    index('program_providers_provider_idx').on(table.providerId),
  ],
);
