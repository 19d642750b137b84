/**
 * Provider and program categories, one bit each. The bit values are part of the on-chain
 * rules (a program's `categories` mask is matched against a provider's), so never renumber;
 * only append.
 */
export const CATEGORY_BITS = {
  sport: 1,
  culture: 2,
  clothing: 4,
  books: 8,
  children: 16,
  food: 32,
  transport: 64,
  education: 128,
} as const;

export type Category = keyof typeof CATEGORY_BITS;
export const CATEGORIES = Object.keys(CATEGORY_BITS) as Category[];

export function categoriesToMask(categories: readonly Category[]): number {
  return categories.reduce((mask, category) => mask | CATEGORY_BITS[category], 0);
}

export function maskToCategories(mask: number): Category[] {
  return CATEGORIES.filter((category) => (mask & CATEGORY_BITS[category]) !== 0);
}
