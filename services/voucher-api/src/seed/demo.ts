import { programs, providerAdmissions, providers, type StaffRole, staffUsers } from '@voucher/db';
import { and, eq } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { Category } from '../categories.ts';
import type { DomainDeps } from '../deps.ts';
import { createMunicipality } from '../municipalities/create-municipality.ts';
import { createOffer } from '../offers/create-offer.ts';
import { createOperator } from '../platform/create-operator.ts';
import { createProgram } from '../programs/create-program.ts';
import { publishProgram } from '../programs/publish-program.ts';
import { admitProvider } from '../providers/admit-provider.ts';
import { approveProvider } from '../providers/approve-provider.ts';
import { onboardProvider } from '../providers/onboard-provider.ts';
import { createStaff } from '../staff/create-staff.ts';
import { claimsOfUsername } from '../staff/staff-claims.ts';
import { fundDemoProgram, settleQueuedWrites } from './demo-funding.ts';
import { DemoSeedRefusedError, type DemoTreasuryKeys, developmentTreasuryKeys } from './demo-treasury-key.ts';

/**
 * The demo municipality a newcomer meets after `npm start`. Idempotent: every step looks for
 * what it would create first, so running it on every start only fills in what is missing.
 * Passwords are fixed and printed: this is demo data, never a production bootstrap.
 */
// Each demo municipality pays from its own demo account, never one of the providers' accounts.
export const DEMO_MUNICIPALITY = {
  id: 101,
  name: 'Demo Kommune',
  debtorIban: 'DK9520000123456789',
  debtorBic: 'NDEADKKK',
} as const;

/**
 * The neighbour: a second municipality on the same chain and service, with its own staff,
 * provider and program, that also admits Demo Idrætsforening, so the walls between the two
 * (and a provider serving both) can be seen in the demo.
 */
export const NEIGHBOUR_MUNICIPALITY = {
  id: 147,
  name: 'Nabo Kommune',
  debtorIban: 'DK8740000011223344',
  debtorBic: 'DABADKKK',
} as const;

export interface DemoLogin {
  username: string;
  password: string;
  role: StaffRole;
  providerId?: number;
  /** The municipality the login works for; none for the platform operator. */
  municipality?: string;
}

/**
 * Hook for the citizens engineer (src/privacy/enrol-citizen.ts): enrols the demo citizens
 * with the given caseworker as actor. Must itself be idempotent (skip people already
 * enrolled, e.g. by catching CITIZEN_ALREADY_ENROLLED).
 */
export type EnrolDemoCitizens = (
  deps: DomainDeps,
  params: { actor: AccessClaims; count: number },
) => Promise<void>;

export const DEMO_CITIZEN_COUNT = 20;

const municipalStaff = (prefix: string): { username: string; role: StaffRole }[] => [
  { username: `${prefix}.admin`, role: 'admin' },
  { username: `${prefix}.caseworker`, role: 'caseworker' },
  { username: `${prefix}.finance1`, role: 'finance' },
  { username: `${prefix}.finance2`, role: 'finance' },
  { username: `${prefix}.auditor`, role: 'auditor' },
];

export const DEMO_PROVIDERS: {
  username: string;
  cvr: string;
  name: string;
  iban: string;
  categories: Category[];
  address: string;
  offer: { title: string; priceOre: bigint; category: Category };
}[] = [
  {
    username: 'demo.sport',
    cvr: '29000018',
    name: 'Demo Idrætsforening',
    iban: 'DK5000400440116243',
    categories: ['sport'],
    address: 'Stadionvej 1, 2100 København Ø',
    offer: { title: 'Fodboldtræning, 1 måned', priceOre: 15_000n, category: 'sport' },
  },
  {
    username: 'demo.culture',
    cvr: '29000026',
    name: 'Demo Kulturhus',
    iban: 'DK8030000012345678',
    categories: ['culture'],
    address: 'Kulturtorvet 2, 2200 København N',
    offer: { title: 'Teaterbillet', priceOre: 12_000n, category: 'culture' },
  },
  {
    username: 'demo.clothing',
    cvr: '29000034',
    name: 'Demo Børnetøj',
    iban: 'DK3852950001234567',
    categories: ['clothing', 'children'],
    address: 'Strøget 3, 1160 København K',
    offer: { title: 'Vinterflyverdragt', priceOre: 59_995n, category: 'clothing' },
  },
  {
    username: 'demo.books',
    cvr: '29000042',
    name: 'Demo Boghandel',
    iban: 'DK5912340009876543',
    categories: ['books'],
    address: 'Bogvej 4, 2300 København S',
    offer: { title: 'Billedbog', priceOre: 19_995n, category: 'books' },
  },
  {
    username: 'demo.children',
    cvr: '29000050',
    name: 'Demo Legeland',
    iban: 'DK8298760001112223',
    categories: ['children', 'sport'],
    address: 'Legepladsen 5, 2400 København NV',
    offer: { title: 'Svømmeskole for børn', priceOre: 45_000n, category: 'children' },
  },
];

export function demoPassword(username: string): string {
  return `${username.replace('demo.', 'Demo-')}-2027!`;
}

export const NEIGHBOUR_PROVIDER: (typeof DEMO_PROVIDERS)[number] = {
  username: 'nabo.swim',
  cvr: '29000069',
  name: 'Nabo Svømmeklub',
  iban: 'DK7330000098765432',
  categories: ['sport'],
  address: 'Svømmehalsvej 9, 2000 Frederiksberg',
  offer: { title: 'Svømmehold, 1 måned', priceOre: 20_000n, category: 'sport' },
};

/** The demo provider both municipalities admit. */
const SHARED_PROVIDER_CVR = '29000018';

export interface SeedDemoOptions {
  enrolDemoCitizens?: EnrolDemoCitizens;
  /**
   * Test-only: the demo treasury officers' keys, for a test world on a configuration that
   * refuses development keys (tests enrol virtual passkeys). Without it the seed signs with
   * development keys, allowed only where the deployment allows development keys.
   */
  treasuryKeys?: DemoTreasuryKeys;
}

/**
 * Why the demo cannot be seeded here, or undefined: its programs are funded by a demo treasury
 * officer's development key, which a deployment refusing development keys (a production
 * database) must never accept.
 */
export function demoSeedRefusal(deps: DomainDeps, options: SeedDemoOptions = {}): string | undefined {
  if (options.treasuryKeys || deps.config.webauthn.allowDevelopmentKeys) return undefined;
  return (
    'SEED_DEMO: the demo funds its programs with a demo treasury officer’s development passkey, and this ' +
    'deployment refuses development keys (DATABASE_URL is set). Seed the demo only on the embedded database ' +
    '(or set SEED_DEMO=false and let treasury officers fund programs with their own passkeys in the console).'
  );
}

export async function seedDemo(deps: DomainDeps, options: SeedDemoOptions = {}): Promise<DemoLogin[]> {
  const refusal = demoSeedRefusal(deps, options);
  if (refusal) throw new DemoSeedRefusedError(refusal);
  const treasuryKeys = options.treasuryKeys ?? developmentTreasuryKeys(deps.config);
  await deps.db.transaction((tx) => createMunicipality(tx, DEMO_MUNICIPALITY));
  const logins: DemoLogin[] = [];
  for (const staff of municipalStaff('demo'))
    logins.push(await ensureStaff(deps, DEMO_MUNICIPALITY.id, staff));
  const admin = await claimsOf(deps, 'demo.admin');
  for (const demo of DEMO_PROVIDERS) {
    const providerId = await ensureProvider(deps, admin, demo);
    logins.push(
      await ensureStaff(deps, DEMO_MUNICIPALITY.id, {
        username: demo.username,
        role: 'provider_staff',
        providerId,
      }),
    );
  }
  await ensurePrograms(deps, admin, treasuryOfficer('demo', treasuryKeys), DEMO_PROGRAMS);
  logins.push(...(await seedNeighbour(deps, treasuryKeys)));
  logins.push(await ensureOperator(deps, DEMO_OPERATOR));
  if (options.enrolDemoCitizens) {
    await options.enrolDemoCitizens(deps, {
      actor: await claimsOf(deps, 'demo.caseworker'),
      count: DEMO_CITIZEN_COUNT,
    });
  }
  return logins;
}

/** The neighbour municipality: its staff, its own club, a program, and the shared provider admitted. */
async function seedNeighbour(deps: DomainDeps, treasuryKeys: DemoTreasuryKeys): Promise<DemoLogin[]> {
  await deps.db.transaction((tx) => createMunicipality(tx, NEIGHBOUR_MUNICIPALITY));
  const logins: DemoLogin[] = [];
  for (const staff of municipalStaff('nabo'))
    logins.push(await ensureStaff(deps, NEIGHBOUR_MUNICIPALITY.id, staff));
  const admin = await claimsOf(deps, 'nabo.admin');
  const providerId = await ensureProvider(deps, admin, NEIGHBOUR_PROVIDER);
  logins.push(
    await ensureStaff(deps, NEIGHBOUR_MUNICIPALITY.id, {
      username: NEIGHBOUR_PROVIDER.username,
      role: 'provider_staff',
      providerId,
    }),
  );
  const shared = await deps.db.query.providers.findFirst({ where: eq(providers.cvr, SHARED_PROVIDER_CVR) });
  const admitted = await deps.db.query.providerAdmissions.findFirst({
    where: and(
      eq(providerAdmissions.municipalityId, NEIGHBOUR_MUNICIPALITY.id),
      eq(providerAdmissions.providerId, shared?.id ?? -1),
    ),
  });
  if (!admitted) await admitProvider(deps, { actor: admin, cvr: SHARED_PROVIDER_CVR, categories: ['sport'] });
  await ensurePrograms(deps, admin, treasuryOfficer('nabo', treasuryKeys), NEIGHBOUR_PROGRAMS);
  return logins;
}

/** The platform operator of the demo: sees both municipalities' health, neither's people. */
const DEMO_OPERATOR = 'platform.ops';

async function ensureOperator(deps: DomainDeps, username: string): Promise<DemoLogin> {
  const password = demoPassword(username);
  const existing = await deps.db.query.staffUsers.findFirst({ where: eq(staffUsers.username, username) });
  if (!existing) await createOperator(deps, { username, password });
  return { username, password, role: 'operator' };
}

async function ensureStaff(
  deps: DomainDeps,
  municipalityId: number,
  staff: { username: string; role: StaffRole; providerId?: number },
): Promise<DemoLogin> {
  const password = demoPassword(staff.username);
  const existing = await deps.db.query.staffUsers.findFirst({
    where: eq(staffUsers.username, staff.username),
  });
  if (!existing) {
    await createStaff(deps, {
      actor: { sub: 'seed', role: 'admin', municipalityId },
      municipalityId,
      ...staff,
      password,
    });
  }
  const municipality = [DEMO_MUNICIPALITY, NEIGHBOUR_MUNICIPALITY].find((m) => m.id === municipalityId)?.name;
  return { ...staff, password, ...(municipality ? { municipality } : {}) };
}

function claimsOf(deps: DomainDeps, username: string): Promise<AccessClaims> {
  return claimsOfUsername(deps.db, username);
}

async function ensureProvider(
  deps: DomainDeps,
  admin: AccessClaims,
  demo: (typeof DEMO_PROVIDERS)[number],
): Promise<number> {
  let provider = await deps.db.query.providers.findFirst({ where: eq(providers.cvr, demo.cvr) });
  if (!provider) {
    const created = await onboardProvider(deps, {
      actor: admin,
      cvr: demo.cvr,
      name: demo.name,
      iban: demo.iban,
      categories: demo.categories,
      address: demo.address,
      contactEmail: `kontakt@${demo.username.replace('demo.', '')}.demo.dk`,
    });
    await createOffer(deps, { actor: admin, providerId: created.id, ...demo.offer });
    provider = await deps.db.query.providers.findFirst({ where: eq(providers.id, created.id) });
  }
  if (provider?.status === 'pending') await approveProvider(deps, { actor: admin, providerId: provider.id });
  if (!provider) throw new Error(`demo provider ${demo.cvr} missing`);
  return provider.id;
}

type DemoProgram = Omit<Parameters<typeof createProgram>[1], 'actor' | 'validFrom' | 'validUntil'> & {
  budgetOre: bigint;
};

const DEMO_YEAR = 2027;

const DEMO_PROGRAMS: DemoProgram[] = [
  {
    name: `Fritidspas ${DEMO_YEAR}`,
    description: '2 besøg i en sportsklub pr. 30 dage, op til 150 kr. pr. gang.',
    kind: 'uses' as const,
    usesPerGrant: 24,
    maxPerUseOre: 15_000n,
    usesPerWindow: 2,
    windowDays: 30,
    categories: ['sport'] as Category[],
    budgetOre: 100n * 24n * 15_000n,
  },
  {
    name: 'Børnepakke',
    description: '1.500 kr. til tøj, bøger og sport for børn.',
    kind: 'credit' as const,
    creditOre: 150_000n,
    categories: ['clothing', 'books', 'sport'] as Category[],
    budgetOre: 100n * 150_000n,
  },
];

const NEIGHBOUR_PROGRAMS: DemoProgram[] = [
  {
    name: `Fritidspas Nabo ${DEMO_YEAR}`,
    description: '1 besøg i en sportsklub pr. 30 dage, op til 200 kr. pr. gang.',
    kind: 'uses',
    usesPerGrant: 12,
    maxPerUseOre: 20_000n,
    usesPerWindow: 1,
    windowDays: 30,
    categories: ['sport'],
    budgetOre: 50n * 12n * 20_000n,
  },
];

/**
 * The municipality's demo treasury officer (`<prefix>.treasury`, a finance officer) whose key
 * the seed holds: it signs the demo programs' funding. Not among the printed logins: nobody
 * signs in as it, and its key never leaves the seed.
 */
interface TreasuryOfficer {
  username: string;
  keys: DemoTreasuryKeys;
}

function treasuryOfficer(prefix: string, keys: DemoTreasuryKeys): TreasuryOfficer {
  return { username: `${prefix}.treasury`, keys };
}

async function ensurePrograms(
  deps: DomainDeps,
  admin: AccessClaims,
  treasury: TreasuryOfficer,
  definitions: DemoProgram[],
): Promise<void> {
  const validity = {
    validFrom: new Date(Date.UTC(DEMO_YEAR - 1, 0, 1)),
    validUntil: new Date(Date.UTC(DEMO_YEAR + 1, 0, 1)),
  };
  const toFund: { programId: bigint; budgetOre: bigint }[] = [];
  const programIds: bigint[] = [];
  for (const { budgetOre, ...definition } of definitions) {
    const existing = await deps.db.query.programs.findFirst({
      where: and(eq(programs.municipalityId, admin.municipalityId), eq(programs.name, definition.name)),
    });
    const programId =
      existing?.id ?? BigInt((await createProgram(deps, { actor: admin, ...definition, ...validity })).id);
    programIds.push(programId);
    if ((existing?.budgetOre ?? 0n) === 0n) toFund.push({ programId, budgetOre });
  }
  if (toFund.length > 0) {
    await ensureStaff(deps, admin.municipalityId, { username: treasury.username, role: 'finance' });
    const officer = await claimsOf(deps, treasury.username);
    const key = treasury.keys(treasury.username);
    await key.ensureEnrolled(deps, officer);
    // The programs, the officer's key and its roles must be on chain before it signs.
    await settleQueuedWrites(deps);
    for (const { programId, budgetOre } of toFund) {
      // A fixed request id per program: a crash between funding and publishing never funds twice.
      const requestId = `00000000-0000-4000-8000-${programId.toString().padStart(12, '0')}`;
      await fundDemoProgram(deps, { officer, key, programId, amountOre: budgetOre, requestId });
    }
  }
  for (const programId of programIds) {
    const program = await deps.db.query.programs.findFirst({ where: eq(programs.id, programId) });
    if (program?.status === 'draft') await publishProgram(deps, { actor: admin, programId });
  }
}
