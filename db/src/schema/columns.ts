import { customType, timestamp } from 'drizzle-orm/pg-core';

/**
 * `bytea` as a Node Buffer. The two drivers disagree on what they hand back (postgres-js gives
 * a Buffer, PGlite a Uint8Array), so both are normalised here and the rest of the code only
 * ever sees a Buffer.
 */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType() {
    return 'bytea';
  },
  toDriver(value) {
    return value;
  },
  fromDriver(value) {
    return Buffer.isBuffer(value) ? value : Buffer.from(value);
  },
});

/** A point in time, always with a time zone, read back as a Date. */
export function instant(name: string) {
  return timestamp(name, { withTimezone: true, mode: 'date' });
}

/** The creation time every table carries, set by the database. */
export function createdAt() {
  return instant('created_at').notNull().defaultNow();
}
