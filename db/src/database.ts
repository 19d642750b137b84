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
    return drizzlePostgres({ client: preparedByDefault(client), schema }) as unknown as Database;
  }
  const client = new PGlite(options.dataDir);
  return drizzlePglite({ client, schema }) as unknown as Database;
}

/**
 * postgres-js runs a statement with parameters that is not prepared in two round trips (parse
 * and describe, wait, then bind and execute), and drizzle asks for exactly that on every query
 * not built with `.prepare(name)`. Prepared by default, a statement's text is parsed once per
 * connection and each later run is one round trip: at a busy counter, half the waits on the
 * database. (Texts that vary, like a list of n ids as n parameters, are prepared once per n;
 * postgres-js renews its connections every 30 to 60 minutes, which bounds what they keep.)
 */
function preparedByDefault(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      if (property === 'unsafe') {
        return (query: string, params?: unknown[], options?: object) =>
          target.unsafe(query, params as never, { ...options, prepare: true });
      }
      if (property === 'begin' || property === 'savepoint') {
        // The transaction's own client runs the transaction's queries: it is wrapped too.
        return (...args: unknown[]) => {
          const body = args.pop() as (transaction: postgres.Sql) => unknown;
          return value.call(target, ...args, (transaction: postgres.Sql) =>
            body(preparedByDefault(transaction)),
          );
        };
      }
      return value.bind(target);
    },
  });
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
