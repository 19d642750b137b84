import { type Provider, providers } from '@voucher/db';
import { asc, eq } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { type ProviderView, toProviderView } from './provider-view.ts';

/** Municipal staff see their municipality's providers; provider staff only their own. */
export async function listProviders(
  deps: DomainDeps,
  params: { actor: AccessClaims },
): Promise<ProviderView[]> {
  const { actor } = params;
  const condition =
    actor.role === 'provider_staff'
      ? eq(providers.id, actor.providerId ?? -1)
      : eq(providers.municipalityId, actor.municipalityId);
  const rows: Provider[] = await deps.db.select().from(providers).where(condition).orderBy(asc(providers.id));
  return rows.map(toProviderView);
}
