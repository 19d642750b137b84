import { programs } from '@voucher/db';
import { bearer, MUNICIPALITY_ID, type TestApp } from '../../../test/support/app.ts';
import type { EligibilityRuleJson } from '../../eligibility/rule.ts';

/** Test-only helpers for the citizen and activation route tests. */
export const KAREN = {
  cpr: '150690-1236',
  name: 'Karen Østergaard Jensen',
  address: { street: 'Nørrebrogade 17, 3. th.', postalCode: '2200', city: 'København N' },
  birthDate: '1990-06-15',
  childrenBirthYears: [2016, 2019],
  contact: { email: 'karen.jensen@example.dk', phone: '+45 20304050' },
  householdIncomeOre: '24000000',
};

export function person(overrides: Partial<typeof KAREN> = {}) {
  return { ...KAREN, ...overrides };
}

export async function enrol(testApp: TestApp, token: string, payload: object) {
  return testApp.app.inject({ method: 'POST', url: '/citizens', headers: bearer(token), payload });
}

export async function insertPublishedProgram(
  testApp: TestApp,
  params: {
    name: string;
    kind?: 'credit' | 'uses';
    eligibilityRule?: EligibilityRuleJson | null;
    budgetOre?: bigint;
    municipalityId?: number;
  },
): Promise<bigint> {
  const kind = params.kind ?? 'credit';
  const now = testApp.clock.now;
  const [program] = await testApp.database.db
    .insert(programs)
    .values({
      municipalityId: params.municipalityId ?? MUNICIPALITY_ID,
      name: params.name,
      kind,
      creditOre: kind === 'credit' ? 150_000n : null,
      usesPerGrant: kind === 'uses' ? 2 : null,
      maxPerUseOre: 15_000n,
      usesPerWindow: kind === 'uses' ? 2 : null,
      windowDays: kind === 'uses' ? 30 : null,
      categories: 1,
      validFrom: new Date(now.getTime() - 86_400_000),
      validUntil: new Date(now.getTime() + 365 * 86_400_000),
      budgetOre: params.budgetOre ?? 100_000_000n,
      status: 'published',
      publishedAt: now,
      eligibilityRule: params.eligibilityRule ?? null,
    })
    .returning({ id: programs.id });
  if (!program) throw new Error('program insert returned nothing');
  return program.id;
}
