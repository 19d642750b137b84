import { ROLE, voucherHubAbi } from '@voucher/contracts';
import { chainOutbox, programs, providerAdmissions, providers, staffPasskeys, staffUsers } from '@voucher/db';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { ANVIL_DEV_OPERATOR_KEY } from '../src/chain/config.ts';
import type { ChainGateway } from '../src/chain/gateway.ts';
import { type ChainFixture, createChainFixture } from '../src/chain/test-fixture.ts';
import { listFundings } from '../src/programs/program-funding.ts';
import { seedDemo } from '../src/seed/demo.ts';
import { DEMO_TREASURY_DEVICE_NAME, DemoSeedRefusedError } from '../src/seed/demo-treasury-key.ts';
import { claimsOfUsername } from '../src/staff/staff-claims.ts';
import { testConfig } from './support/app.ts';

/**
 * The demo seed on a real chain. Its programs are funded the way officers fund them: the demo
 * treasury officer's development passkey, held by the seed, signs the funding challenge and the
 * API relays it (fundProgramSigned). The service's own key holds no treasury role. Development
 * keys, and so the demo, are allowed only where the deployment allows development keys.
 */
describe('the demo seed', () => {
  let fixture: ChainFixture;
  let gateway: ChainGateway;
  let app: FastifyInstance;
  let enrolCalls = 0;
  beforeAll(async () => {
    fixture = await createChainFixture();
    gateway = await fixture.gateway();
    // What the embedded database gets by default; here switched on explicitly.
    const config = testConfig({
      MASTER_KEY: fixture.config.masterKey.toString('hex'),
      WEBAUTHN_ALLOW_DEVELOPMENT_KEYS: 'true',
    });
    app = await buildApp({ config, db: fixture.db, chain: gateway });
    await app.ready();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await fixture?.close();
  });

  it('refuses, before it creates anything, where development keys are refused (a production database)', async () => {
    const production = await buildApp({
      config: testConfig({ MASTER_KEY: fixture.config.masterKey.toString('hex') }),
      db: fixture.db,
      chain: gateway,
    });
    try {
      const seeded = seedDemo(production.deps, { enrolDemoCitizens: async () => {} });
      await expect(seeded).rejects.toBeInstanceOf(DemoSeedRefusedError);
      await expect(seeded).rejects.toThrow(/development passkey.*refuses development keys/);
      expect(await fixture.db.select().from(staffUsers)).toHaveLength(0);
    } finally {
      await production.close();
    }
  });

  it('creates two municipalities with staff, 6 approved providers (one admitted by both) and 3 programs funded by the treasury officer’s passkey, and is idempotent', async () => {
    const enrolDemoCitizens = async (_deps: unknown, params: { count: number; actor: { role: string } }) => {
      enrolCalls += 1;
      expect(params).toMatchObject({ count: 20, actor: { role: 'caseworker' } });
    };
    const logins = await seedDemo(app.deps, { enrolDemoCitizens });
    const outboxAfterFirst = (await fixture.db.select().from(chainOutbox)).length;
    await seedDemo(app.deps, { enrolDemoCitizens });
    const db = fixture.db;
    // 5 staff and a treasury officer per municipality, 6 providers' staff, the operator.
    expect(await db.select().from(staffUsers)).toHaveLength(19);
    expect(logins.map((login) => login.username)).not.toContain('demo.treasury');
    expect(logins.filter((login) => login.role === 'operator').map((login) => login.municipality)).toEqual([
      undefined,
    ]);
    const seededProviders = await db.select().from(providers);
    expect(seededProviders.map((provider) => provider.status)).toEqual(Array(6).fill('active'));
    const seededPrograms = await db.select().from(programs).orderBy(programs.id);
    expect(seededPrograms.map((program) => [program.name, program.status, program.budgetOre > 0n])).toEqual([
      ['Fritidspas 2027', 'published', true],
      ['Børnepakke', 'published', true],
      ['Fritidspas Nabo 2027', 'published', true],
    ]);
    const admissions = await db.select().from(providerAdmissions);
    const shared = seededProviders.find((provider) => provider.cvr === '29000018');
    expect(
      admissions
        .filter((row) => row.providerId === shared?.id)
        .map((row) => row.municipalityId)
        .sort(),
    ).toEqual([101, 147]);
    expect(seededPrograms.map((program) => program.municipalityId)).toEqual([101, 101, 147]);
    expect((await db.select().from(chainOutbox)).length).toBe(outboxAfterFirst);
    expect(enrolCalls).toBe(2);
    expect(logins.filter((login) => login.role === 'finance')).toHaveLength(4);

    // Each funding: one signature by the municipality's demo treasury officer's development key,
    // minted on chain by the hub.
    for (const program of seededPrograms) {
      const username = program.municipalityId === 101 ? 'demo.treasury' : 'nabo.treasury';
      const officer = await claimsOfUsername(db, username);
      const fundings = await listFundings(app.deps, { actor: officer, programId: program.id });
      expect(fundings).toEqual([
        expect.objectContaining({
          status: 'funded',
          amountOre: program.budgetOre.toString(),
          proposedBy: username,
          signatures: [expect.objectContaining({ step: 'fund', deviceName: DEMO_TREASURY_DEVICE_NAME })],
        }),
      ]);
    }
    const keys = await db.select().from(staffPasskeys);
    expect(keys.map((key) => key.kind)).toEqual(['development', 'development']);

    // The service's key mints nothing: it holds no treasury or finance officer role anywhere.
    const operator = privateKeyToAccount(ANVIL_DEV_OPERATOR_KEY).address;
    const holds = (municipality: number, role: `0x${string}`, account: `0x${string}`) =>
      gateway.publicClient.readContract({
        address: gateway.addresses.hub,
        abi: voucherHubAbi,
        functionName: 'hasMunicipalRole',
        args: [municipality, role, account],
      });
    for (const municipality of [101, 147]) {
      expect(await holds(municipality, ROLE.treasury, operator)).toBe(false);
      expect(await holds(municipality, ROLE.financeOfficer, operator)).toBe(false);
    }
    const [demoKey] = await db.select().from(staffPasskeys).where(eq(staffPasskeys.municipalityId, 101));
    expect(await holds(101, ROLE.treasury, demoKey?.chainAddress as `0x${string}`)).toBe(true);
  }, 240_000);
});
