import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, instant } from './columns.ts';
import { municipalities } from './municipalities.ts';
import { staffUsers } from './staff-users.ts';

export const staffPasskeyKinds = ['passkey', 'development'] as const;
export type StaffPasskeyKind = (typeof staffPasskeyKinds)[number];

/**
 * A staff member's own signing key: a WebAuthn (P-256) passkey on their device, or, only
 * where the service runs as a demo, a development key the console made with WebCrypto. The
 * private key never leaves the person's device; the service keeps the public key so it can
 * check an assertion before relaying it, and the chain address the contract knows the key by
 * (keccak256 of the two coordinates), which the municipal admin grants the officer's role.
 * A revoked key is kept, so an old on-chain signature can still be told whose it was.
 */
export const staffPasskeys = pgTable(
  'staff_passkeys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    staffUserId: uuid('staff_user_id')
      .notNull()
      .references(() => staffUsers.id),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    /** The authenticator's credential id, base64url as WebAuthn hands it over. */
    credentialId: text('credential_id').notNull().unique('staff_passkeys_credential_id_unique'),
    /** The P-256 public key's affine coordinates, 32 bytes big-endian each (as the contract takes them). */
    publicKeyX: bytea('public_key_x').notNull(),
    publicKeyY: bytea('public_key_y').notNull(),
    chainAddress: text('chain_address').notNull().unique('staff_passkeys_chain_address_unique'),
    /** What the person called the device ("Annes bærbare"); shown to them and their admin only. */
    deviceName: text('device_name').notNull(),
    kind: text('kind', { enum: staffPasskeyKinds }).notNull(),
    /** Transports the browser reported (usb, internal, hybrid...), handed back to it when signing. */
    transports: text('transports').array().notNull().default([]),
    /** The authenticator's signature counter as last seen (many passkeys always report 0). */
    signCount: bigint('sign_count', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
    lastUsedAt: instant('last_used_at'),
    revokedAt: instant('revoked_at'),
  },
  (table) => [
    check('staff_passkeys_kind_valid', sql`${table.kind} IN ('passkey', 'development')`),
    // WebAuthn credential ids are 16 to 1023 bytes. (PostgreSQL regexes repeat at most 255
    // times, so the length is checked apart from the alphabet.)
    check(
      'staff_passkeys_credential_id_format',
      sql`${table.credentialId} ~ '^[A-Za-z0-9_-]+$' AND char_length(${table.credentialId}) BETWEEN 16 AND 1364`,
    ),
    check(
      'staff_passkeys_coordinates_32_bytes',
      sql`octet_length(${table.publicKeyX}) = 32 AND octet_length(${table.publicKeyY}) = 32`,
    ),
    check('staff_passkeys_chain_address_format', sql`${table.chainAddress} ~ '^0x[0-9a-f]{40}$'`),
    check('staff_passkeys_device_name_length', sql`char_length(${table.deviceName}) BETWEEN 1 AND 64`),
    // The WebAuthn counter is an unsigned 32-bit number.
    check('staff_passkeys_sign_count_range', sql`${table.signCount} BETWEEN 0 AND 4294967295`),
    index('staff_passkeys_staff_idx').on(table.staffUserId),
    index('staff_passkeys_municipality_idx').on(table.municipalityId),
  ],
);

export type StaffPasskey = typeof staffPasskeys.$inferSelect;
export type NewStaffPasskey = typeof staffPasskeys.$inferInsert;
