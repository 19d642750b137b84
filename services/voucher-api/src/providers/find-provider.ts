import { type Executor, type Provider, providers } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { assertCanSeeProvider } from '../auth/authorize.ts';
import type { AccessClaims } from '../auth/claims.ts';
import { AppError } from '../errors/app-error.ts';

/**
 * Loads a provider the actor may see, locking the row when asked (inside a transaction that
 * changes it). Missing and not-yours are the same 404.
 */
export async function findVisibleProvider(
  db: Executor,
  actor: AccessClaims,
  providerId: number,
  options: { forUpdate?: boolean } = {},
): Promise<Provider> {
  const query = db.select().from(providers).where(eq(providers.id, providerId));
  const [provider] = options.forUpdate ? await query.for('update') : await query;
  if (!provider) throw new AppError('NOT_FOUND');
  assertCanSeeProvider(actor, provider);
  return provider;
}
