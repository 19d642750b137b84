import type { Offer } from '@voucher/db';
import { type Category, maskToCategories } from '../categories.ts';

export interface OfferView {
  id: string;
  providerId: number;
  providerName: string;
  title: string;
  description: string;
  priceOre: string;
  category: Category;
  createdAt: string;
}

export function toOfferView(offer: Offer, providerName: string): OfferView {
  return {
    id: offer.id,
    providerId: offer.providerId,
    providerName,
    title: offer.title,
    description: offer.description,
    priceOre: offer.priceOre.toString(),
    category: maskToCategories(offer.category)[0] as Category,
    createdAt: offer.createdAt.toISOString(),
  };
}
