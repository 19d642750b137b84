import { index, pgTable } from 'drizzle-orm/pg-core';
import { bytea, instant } from './columns.ts';

/**
 * Hashes of rotating presentations already accepted, kept until they would have expired
 * anyway, so the same QR is never accepted twice.
 */
export const presentationReplays = pgTable(
  'presentation_replays',
  {
    presentationHash: bytea('presentation_hash').primaryKey(),
    expiresAt: instant('expires_at').notNull(),
  },
  (table) => [index('presentation_replays_expires_idx').on(table.expiresAt)],
);
