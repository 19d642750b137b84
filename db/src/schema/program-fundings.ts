import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { municipalities } from './municipalities.ts';
import { programs } from './programs.ts';
import { staffUsers } from './staff-users.ts';

export const programFundingStatuses = ['awaiting-second-officer', 'pending', 'funded', 'rejected'] as const;
export type ProgramFundingStatus = (typeof programFundingStatuses)[number];

/**
 * A treasury officer's request to fund a program (the hub mints eKrone against kroner paid
 * into the scheme's bank account), keyed by the client's request id, which is the funding key
 * on chain. Up to the municipality's single-officer limit one officer's passkey signature
 * mints; above it the first signature proposes and a different officer's mints. The chain is
 * the truth: a row is 'funded' only once the hub says the funding executed, and only then does
 * the program's budget grow.
 */
export const programFundings = pgTable(
  'program_fundings',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    programId: bigint('program_id', { mode: 'bigint' })
      .notNull()
      .references(() => programs.id),
    requestId: uuid('request_id').notNull(),
    amountOre: bigint('amount_ore', { mode: 'bigint' }).notNull(),
    status: text('status', { enum: programFundingStatuses }).notNull().default('pending'),
    proposedBy: uuid('proposed_by')
      .notNull()
      .references(() => staffUsers.id),
    approvedBy: uuid('approved_by').references(() => staffUsers.id),
    /** The last signature's chain write; a refused first signature leaves the request 'rejected'. */
    outboxId: bigint('outbox_id', { mode: 'bigint' }),
    createdAt: createdAt(),
    fundedAt: instant('funded_at'),
  },
  (table) => [
    unique('program_fundings_request_unique').on(table.municipalityId, table.requestId),
    index('program_fundings_program_idx').on(table.programId),
    check('program_fundings_amount_positive', sql`${table.amountOre} > 0`),
    check(
      'program_fundings_status_valid',
      sql`${table.status} IN ('awaiting-second-officer', 'pending', 'funded', 'rejected')`,
    ),
  ],
);

export type ProgramFunding = typeof programFundings.$inferSelect;
