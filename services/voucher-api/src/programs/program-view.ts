import type { Program } from '@voucher/db';
import { type Category, maskToCategories } from '../categories.ts';

/** A program as the API shows it: øre as decimal strings, times as ISO 8601. */
export interface ProgramView {
  id: string;
  municipalityId: number;
  name: string;
  description: string;
  kind: Program['kind'];
  creditOre: string | null;
  usesPerGrant: number | null;
  maxPerUseOre: string;
  usesPerWindow: number | null;
  windowDays: number | null;
  categories: Category[];
  categoriesMask: number;
  providerIds: number[];
  validFrom: string;
  validUntil: string;
  budgetOre: string;
  status: Program['status'];
  eligibilityRule: unknown;
  createdAt: string;
  publishedAt: string | null;
}

export function toProgramView(program: Program, providerIds: number[]): ProgramView {
  return {
    id: program.id.toString(),
    municipalityId: program.municipalityId,
    name: program.name,
    description: program.description,
    kind: program.kind,
    creditOre: program.creditOre?.toString() ?? null,
    usesPerGrant: program.usesPerGrant,
    maxPerUseOre: program.maxPerUseOre.toString(),
    usesPerWindow: program.usesPerWindow,
    windowDays: program.windowDays,
    categories: maskToCategories(program.categories),
    categoriesMask: program.categories,
    providerIds,
    validFrom: program.validFrom.toISOString(),
    validUntil: program.validUntil.toISOString(),
    budgetOre: program.budgetOre.toString(),
    status: program.status,
    eligibilityRule: program.eligibilityRule ?? null,
    createdAt: program.createdAt.toISOString(),
    publishedAt: program.publishedAt?.toISOString() ?? null,
  };
}
