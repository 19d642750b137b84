import { chainOutbox, programs, providerAdmissions, providers, staffUsers } from '@voucher/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/seed/demo.ts';
import { createTestApp, loginAs, type TestApp } from './support/app.ts';

describe('the demo seed', () => {
  let testApp: TestApp;
  let enrolCalls = 0;
  beforeAll(async () => {
    testApp = await createTestApp();
  }, 120_000);
  afterAll(() => testApp.close());

  it('creates two municipalities with staff, 6 approved providers (one admitted by both) and 3 funded, published programs, and is idempotent', async () => {
    const enrolDemoCitizens = async (_deps: unknown, params: { count: number; actor: { role: string } }) => {
      enrolCalls += 1;
      expect(params).toMatchObject({ count: 20, actor: { role: 'caseworker' } });
    };
    const logins = await seedDemo(testApp.app.deps, { enrolDemoCitizens });
    const outboxAfterFirst = (await testApp.database.db.select().from(chainOutbox)).length;
    await seedDemo(testApp.app.deps, { enrolDemoCitizens });
    const db = testApp.database.db;
    expect(await db.select().from(staffUsers)).toHaveLength(17);
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
    const caseworker = logins.find((login) => login.role === 'caseworker');
    expect(await loginAs(testApp, 'demo.caseworker', caseworker?.password)).toBeTypeOf('string');
    expect(logins.filter((login) => login.role === 'finance')).toHaveLength(4);
  }, 120_000);
});
