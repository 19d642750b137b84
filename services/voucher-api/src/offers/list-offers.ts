import { offers, providers } from '@voucher/db';
import { and, asc, eq, isNull, type SQL } from 'drizzle-orm';
import { CATEGORY_BITS, type Category } from '../categories.ts';
import type { DomainDeps } from '../deps.ts';
import { type OfferView, toOfferView } from './offer-view.ts';

/** The public catalogue: current offers of active providers, optionally one category. */
export async function listOffers(deps: DomainDeps, params: { category?: Category }): Promise<OfferView[]> {
  const conditions: SQL[] = [eq(providers.status, 'active'), isNull(offers.withdrawnAt)];
  if (params.category) conditions.push(eq(offers.category, CATEGORY_BITS[params.category]));
  const rows = await deps.db
    .select({ offer: offers, providerName: providers.name })
    .from(offers)
    .innerJoin(providers, eq(providers.id, offers.providerId))
    .where(and(...conditions))
    .orderBy(asc(providers.name), asc(offers.title));
  return rows.map((row) => toOfferView(row.offer, row.providerName));
}
