import type { Database } from './database.ts';

const built = new WeakMap<Database, Map<string, unknown>>();

/**
 * A query built once per database and run many times with placeholders
 * (`sql.placeholder('name')`, values given to `execute`). Building a drizzle select walks every
 * column of every table in it, which at a busy counter cost more CPU than the database took to
 * answer; the hot paths build theirs once. Only for queries on the database itself: a prepared
 * query runs on the connection pool, never inside a transaction.
 */
export function preparedOnce<Query>(db: Database, name: string, build: (db: Database) => Query): Query {
  let queries = built.get(db);
  if (!queries) {
    queries = new Map();
    built.set(db, queries);
  }
  let query = queries.get(name) as Query | undefined;
  if (query === undefined) {
    query = build(db);
    queries.set(name, query);
  }
  return query;
}
