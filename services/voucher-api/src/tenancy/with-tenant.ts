import type { Database } from '@voucher/db';
import { sql } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';

/** The roles whose reads run behind row-level security, scoped to their own municipality. */
const MUNICIPAL_ROLES = new Set<AccessClaims['role']>(['admin', 'caseworker', 'finance', 'auditor']);

/**
 * Runs `work` in one transaction as the database role voucher_tenant, with the caller's
 * municipality set for that transaction (migration 0009). Row-level security then hides every
 * other municipality's rows, so a query that forgets its municipality filter returns nothing
 * of another municipality instead of leaking it: the second wall under the API's own checks.
 *
 * For reads (and short writes that do not wait for the chain): the transaction stays open
 * for all of `work`, and an outbox row written inside it is invisible to the sender until
 * it commits. Provider staff, citizens and the operator work across or outside
 * municipalities and run as before.
 */
export async function withTenant<T>(
  deps: DomainDeps,
  actor: AccessClaims,
  work: (scoped: DomainDeps) => Promise<T>,
): Promise<T> {
  if (!MUNICIPAL_ROLES.has(actor.role)) return work(deps);
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL ROLE voucher_tenant`);
    await tx.execute(
      sql`SELECT set_config('voucher.municipality_id', ${String(actor.municipalityId)}, true)`,
    );
    // A transaction has every query method domain code uses on the database (a nested
    // transaction becomes a savepoint); only the driver handle `$client` is missing.
    return work({ ...deps, db: tx as unknown as Database });
  });
}
