import { municipalities } from '@voucher/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

// On PostgreSQL a transaction's BEGIN travels with its first statements and every statement
// is prepared (db/src/database.ts); what a transaction means must not change with that.
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

const named = (id: number) =>
  database.db.select({ name: municipalities.name }).from(municipalities).where(eq(municipalities.id, id));

describe('database transactions', () => {
  it('keeps nothing of a transaction whose body fails, and everything of one that succeeds', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(municipalities).values({ id: 901, name: 'Rulles tilbage' });
        throw new Error('the caller changed its mind');
      }),
    ).rejects.toThrow('the caller changed its mind');
    expect(await named(901)).toEqual([]);

    await database.db.transaction(async (tx) => {
      await tx.insert(municipalities).values({ id: 902, name: 'Gemt' });
    });
    expect(await named(902)).toEqual([{ name: 'Gemt' }]);
  });

  it('rolls back every statement when one of them fails in the database', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await Promise.all([
          tx.insert(municipalities).values({ id: 903, name: 'Først' }),
          tx.execute(sql`SELECT 1 / 0`),
        ]);
      }),
    ).rejects.toThrow();
    expect(await named(903)).toEqual([]);
  });

  it('runs its statements on one connection: a lock taken first holds for the rest', async () => {
    const seen = await database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(4242)`);
      const held = await tx.execute(
        sql`SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND pid = pg_backend_pid()`,
      );
      return held;
    });
    const rows = Array.isArray(seen) ? seen : (seen as { rows: unknown[] }).rows;
    expect(rows).toEqual([{ held: 1 }]);
  });

  it('answers the same statement text with new values each time (prepared once, run many times)', async () => {
    for (const id of [911, 912, 913]) {
      await database.db.insert(municipalities).values({ id, name: `Kommune ${id}` });
    }
    for (const id of [913, 911, 912]) expect(await named(id)).toEqual([{ name: `Kommune ${id}` }]);
  });
});
