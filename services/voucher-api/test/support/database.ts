import { randomBytes } from 'node:crypto';
import { closeDatabase, createDatabase, type Database, migrate } from '@voucher/db';
import postgres from 'postgres';

export interface TestDatabase {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Closes the connection and, on PostgreSQL, drops the database. */
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new
 * database on the PostgreSQL server at TEST_DATABASE_URL (see tools/with-postgres.sh), so
 * the same suite proves the same code on both.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const db = createDatabase();
    await migrate(db);
    return { db, kind: 'pglite', drop: () => closeDatabase(db) };
  }
  const name = `voucher_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createDatabase({ databaseUrl: url.toString(), maxConnections: 5 });
  await migrate(db);
  return {
    db,
    kind: 'postgres',
    async drop() {
      await closeDatabase(db);
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
