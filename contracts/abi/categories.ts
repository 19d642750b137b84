/** Provider categories, one bit each in a program's and a provider's category mask. */
export const CATEGORY = {
  sport: 1,
  culture: 2,
  clothing: 4,
  books: 8,
  children: 16,
  food: 32,
} as const;

export type Category = keyof typeof CATEGORY;

export function categoriesToMask(categories: readonly Category[]): number {
  return categories.reduce((mask, category) => mask | CATEGORY[category], 0);
}

export function maskToCategories(mask: number): Category[] {
  return (Object.keys(CATEGORY) as Category[]).filter((category) => (mask & CATEGORY[category]) !== 0);
}
