import { type Provider, providerAdmissions, providers } from '@voucher/db';
import { asc, eq, or, sql } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { type ProviderView, toProviderView } from './provider-view.ts';

/**
 * Municipal staff see the providers their municipality registered or admitted; provider staff
 * only their own.
 */
export async function listProviders(
  deps: DomainDeps,
  params: { actor: AccessClaims },
): Promise<ProviderView[]> {
  const { actor } = params;
  const condition =
    actor.role === 'provider_staff'
      ? eq(providers.id, actor.providerId ?? -1)
      : or(
          eq(providers.municipalityId, actor.municipalityId),
          sql`${providers.id} IN (SELECT ${providerAdmissions.providerId} FROM ${providerAdmissions} WHERE ${providerAdmissions.municipalityId} = ${actor.municipalityId})`,
        );
  const rows: Provider[] = await deps.db.select().from(providers).where(condition).orderBy(asc(providers.id));
  return rows.map(toProviderView);
}
