import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { municipalities } from './municipalities.ts';
import { staffUsers } from './staff-users.ts';

/**
 * The challenge the service handed a staff member to enrol a passkey. Kept in the database,
 * not in memory, so any API instance behind the load balancer can finish the enrolment; it
 * is deleted when used, so an enrolment response cannot be replayed, and it expires.
 */
export const staffPasskeyChallenges = pgTable(
  'staff_passkey_challenges',
  {
    /** 32 random bytes, base64url: the WebAuthn challenge itself. */
    challenge: text('challenge').primaryKey(),
    staffUserId: uuid('staff_user_id')
      .notNull()
      .references(() => staffUsers.id),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    expiresAt: instant('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    check('staff_passkey_challenges_format', sql`${table.challenge} ~ '^[A-Za-z0-9_-]{43}$'`),
    index('staff_passkey_challenges_staff_idx').on(table.staffUserId),
  ],
);

export type StaffPasskeyChallenge = typeof staffPasskeyChallenges.$inferSelect;
