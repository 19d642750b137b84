import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type ExtractTablesWithRelations, type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;

/**
 * The database as the rest of the code sees it: drizzle over either PGlite or postgres-js.
 * Code is written against this common type so the same queries run on both.
 */
export type Database = PgDatabase<PgQueryResultHKT, Schema> & { readonly $client: PGlite | postgres.Sql };
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything queries can run on: the database itself or an open transaction. */
export type Executor = Database | Transaction;

export interface DatabaseOptions {
  /** A PostgreSQL URL; when given, PostgreSQL is used and `dataDir` is ignored. */
  databaseUrl?: string;
  /** PGlite data folder; in-memory when undefined. */
  dataDir?: string;
  /** postgres-js pool size. */
  maxConnections?: number;
}

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

export function createDatabase(options: DatabaseOptions = {}): Database {
  if (options.databaseUrl) {
    const { url, path } = connectionTarget(options.databaseUrl);
    const client = postgres(url, {
      ...(path ? { path } : {}),
      max: options.maxConnections ?? 10,
      // Notices ("relation already exists, skipping") are noise, not events worth logging.
      onnotice: () => {},
    });
    return drizzlePostgres({ client: tunedClient(client), schema }) as unknown as Database;
  }
  const client = new PGlite(options.dataDir);
  return drizzlePglite({ client, schema }) as unknown as Database;
}

/**
 * The postgres-js client as drizzle gets it, changed in two ways that each save a round trip:
 *
 * - Statements are prepared. postgres-js runs a statement with parameters that is not
 *   prepared in two round trips (parse and describe, wait, then bind and execute), and drizzle
 *   asks for exactly that on every query not built with `.prepare(name)`. Prepared, a text is
 *   parsed once per connection and each later run is one round trip. (Texts that vary, like a
 *   list of n ids as n parameters, are prepared once per n; postgres-js renews its
 *   connections every 30 to 60 minutes, which bounds what they keep.)
 * - A transaction's BEGIN leaves with its first statements instead of on its own
 *   (pipelinedTransaction); a transaction opened inside one is a savepoint.
 */
function tunedClient(client: postgres.Sql, inTransaction = false): postgres.Sql {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (property === 'unsafe') {
        return (query: string, params?: unknown[], options?: object) =>
          target.unsafe(query, params as never, { ...options, prepare: true });
      }
      if (property === 'begin' && !inTransaction) {
        return (...args: unknown[]) => {
          const body = args.pop() as (transaction: postgres.Sql) => Promise<unknown>;
          return pipelinedTransaction(target, (args[0] as string | undefined) ?? '', body);
        };
      }
      if (property === 'savepoint') {
        if (!inTransaction) return () => Promise.reject(new Error('a savepoint needs a transaction'));
        return (body: (transaction: postgres.Sql) => Promise<unknown>) => withSavepoint(target, body);
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * A transaction inside a transaction (a read scoped to a municipality wraps domain code that
 * opens its own). Savepoints of one name nest: RELEASE and ROLLBACK TO act on the newest.
 */
async function withSavepoint(
  connection: postgres.Sql,
  body: (transaction: postgres.Sql) => Promise<unknown>,
): Promise<unknown> {
  await connection.unsafe('savepoint nested');
  try {
    const result = await body(tunedClient(connection, true));
    await connection.unsafe('release savepoint nested');
    return result;
  } catch (error) {
    await connection.unsafe('rollback to savepoint nested').catch(() => undefined);
    throw error;
  }
}

/**
 * A transaction on a reserved connection whose BEGIN is not awaited on its own: postgres-js
 * writes it together with the statements the body sends first, and the server runs them in
 * order. On a healthy connection BEGIN cannot fail; on a broken one every statement after it
 * fails too, and the body's error rolls back (or the connection is gone, which does).
 */
async function pipelinedTransaction(
  client: postgres.Sql,
  options: string,
  body: (transaction: postgres.Sql) => Promise<unknown>,
): Promise<unknown> {
  const connection = await client.reserve();
  try {
    const begun = connection.unsafe(`begin ${options.replace(/[^a-z ]/gi, '')}`).execute();
    // Until the body's statements are answered, a failed BEGIN must not count as unhandled.
    begun.catch(() => undefined);
    try {
      const result = await body(tunedClient(connection as unknown as postgres.Sql, true));
      await begun;
      await connection.unsafe('commit');
      return result;
    } catch (error) {
      await connection.unsafe('rollback').catch(() => undefined);
      throw error;
    }
  } finally {
    connection.release();
  }
}

/**
 * Where to connect. As with libpq, `?host=/a/directory` in the URL names the directory of
 * the server's Unix socket: on the same machine it costs far less per query than TCP.
 */
function connectionTarget(databaseUrl: string): { url: string; path?: string } {
  const url = new URL(databaseUrl);
  const socketDirectory = url.searchParams.get('host');
  if (!socketDirectory?.startsWith('/')) return { url: databaseUrl };
  url.searchParams.delete('host');
  return { url: url.toString(), path: `${socketDirectory}/.s.PGSQL.${url.port || '5432'}` };
}

/** Applies every committed migration not yet applied. Safe to call at every start. */
export async function migrate(db: Database): Promise<void> {
  if (db.$client instanceof PGlite) {
    await migratePglite(db as never, { migrationsFolder });
    return;
  }
  await migratePostgres(db as never, { migrationsFolder });
}

export async function closeDatabase(db: Database): Promise<void> {
  if (db.$client instanceof PGlite) {
    await db.$client.close();
    return;
  }
  await db.$client.end({ timeout: 5 });
}

export function isPglite(db: Database): boolean {
  return db.$client instanceof PGlite;
}

/** The rows of a raw `execute`: postgres-js answers with an array, PGlite with `{ rows }`. */
export function executedRows<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * Rows as one jsonb parameter (read back with jsonb_to_recordset), for statements over many
 * rows: their text then does not depend on how many rows there are, so postgres-js prepares
 * each statement once per connection instead of once per batch size. Bigints become
 * decimal strings, which PostgreSQL reads into bigint columns exactly.
 */
export function jsonRows(rows: readonly Record<string, unknown>[]): SQL {
  const json = JSON.stringify(rows, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
  return sql`${json}::jsonb`;
}
