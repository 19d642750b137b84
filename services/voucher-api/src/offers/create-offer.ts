import { appendAudit, offers } from '@voucher/db';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import { CATEGORY_BITS, type Category } from '../categories.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { findVisibleProvider } from '../providers/find-provider.ts';
import { type OfferView, toOfferView } from './offer-view.ts';

export interface CreateOfferParams {
  actor: AccessClaims;
  providerId: number;
  title: string;
  description?: string;
  priceOre: bigint;
  category: Category;
}

/** Adds an offer to a provider's catalogue; only in a category the provider is approved for. */
export async function createOffer(deps: DomainDeps, params: CreateOfferParams): Promise<OfferView> {
  if (params.priceOre < 0n) throw new AppError('AMOUNT_INVALID');
  return deps.db.transaction(async (tx) => {
    const provider = await findVisibleProvider(tx, params.actor, params.providerId);
    const categoryBit = CATEGORY_BITS[params.category];
    if ((provider.categories & categoryBit) === 0) {
      throw new AppError('VALIDATION_FAILED', { field: 'category', rule: 'provider-category' });
    }
    const [offer] = await tx
      .insert(offers)
      .values({
        providerId: provider.id,
        title: params.title.trim(),
        description: params.description?.trim() ?? '',
        priceOre: params.priceOre,
        category: categoryBit,
      })
      .returning();
    if (!offer) throw new Error('offer insert returned nothing');
    await appendAudit(tx, {
      ...auditActor(params.actor),
      municipalityId: provider.municipalityId,
      action: 'offer.created',
      subjectType: 'offer',
      subjectId: offer.id,
      details: { providerId: provider.id, priceOre: offer.priceOre.toString(), category: params.category },
    });
    return toOfferView(offer, provider.name);
  });
}
