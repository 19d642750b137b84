import type { Provider } from '@voucher/db';
import { type Category, maskToCategories } from '../categories.ts';

/** A provider as the API shows it; the wrapped payout key never leaves the service. */
export interface ProviderView {
  id: number;
  municipalityId: number;
  cvr: string;
  name: string;
  iban: string;
  categories: Category[];
  categoriesMask: number;
  address: string;
  contactEmail: string;
  contactPhone: string | null;
  payoutAddress: string | null;
  status: Provider['status'];
  createdAt: string;
  approvedAt: string | null;
}

export function toProviderView(provider: Provider): ProviderView {
  return {
    id: provider.id,
    municipalityId: provider.municipalityId,
    cvr: provider.cvr,
    name: provider.name,
    iban: provider.iban,
    categories: maskToCategories(provider.categories),
    categoriesMask: provider.categories,
    address: provider.address,
    contactEmail: provider.contactEmail,
    contactPhone: provider.contactPhone,
    payoutAddress: provider.payoutAddress,
    status: provider.status,
    createdAt: provider.createdAt.toISOString(),
    approvedAt: provider.approvedAt?.toISOString() ?? null,
  };
}
