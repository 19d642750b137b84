import { chainOutbox, programs } from '@voucher/db';
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  insertStaff,
  loginAs,
  OTHER_MUNICIPALITY_ID,
  type TestApp,
  VALID_PROVIDER,
} from './support/app.ts';

const FRITIDSPAS = {
  name: 'Fritidspas 2027',
  description: '2 besøg i sportsklubben pr. 30 dage, op til 150 kr. pr. gang',
  kind: 'uses',
  usesPerGrant: 24,
  maxPerUseOre: '15000',
  usesPerWindow: 2,
  windowDays: 30,
  categories: ['sport'],
  validFrom: '2027-01-01T00:00:00.000Z',
  validUntil: '2028-01-01T00:00:00.000Z',
};

describe('programs', () => {
  let testApp: TestApp;
  let adminToken: string;
  let financeToken: string;
  beforeAll(async () => {
    testApp = await createTestApp();
    await insertStaff(testApp, { username: 'admin', role: 'admin' });
    await insertStaff(testApp, { username: 'finance', role: 'finance' });
    await insertStaff(testApp, { username: 'caseworker', role: 'caseworker' });
    await insertStaff(testApp, {
      username: 'other.finance',
      role: 'finance',
      municipalityId: OTHER_MUNICIPALITY_ID,
    });
    adminToken = await loginAs(testApp, 'admin');
    financeToken = await loginAs(testApp, 'finance');
  });
  afterAll(() => testApp.close());

  const post = (url: string, payload: object | undefined, token = adminToken) =>
    testApp.app.inject({ method: 'POST', url, headers: bearer(token), ...(payload ? { payload } : {}) });
  const outbox = (pattern: string) =>
    testApp.database.db
      .select()
      .from(chainOutbox)
      .where(like(chainOutbox.idempotencyKey, pattern))
      .orderBy(chainOutbox.id);
  const budgetOf = async (id: string) =>
    (
      await testApp.database.db
        .select()
        .from(programs)
        .where(eq(programs.id, BigInt(id)))
    )[0]?.budgetOre;
  const createDraft = async (overrides: object = {}) => {
    const response = await post('/programs', { ...FRITIDSPAS, ...overrides });
    expect(response.statusCode).toBe(201);
    return response.json().id as string;
  };

  it('creates a uses program as a draft and queues createProgram with the on-chain rules', async () => {
    const response = await post('/programs', FRITIDSPAS);
    expect(response.statusCode).toBe(201);
    const program = response.json();
    expect(program).toMatchObject({
      kind: 'uses',
      usesPerGrant: 24,
      maxPerUseOre: '15000',
      creditOre: null,
      status: 'draft',
      budgetOre: '0',
      categories: ['sport'],
    });
    const [intent] = await outbox(`program:${program.id}:create`);
    expect(intent?.functionName).toBe('createProgram');
    expect(intent?.args).toEqual([
      program.id,
      {
        municipality: '101',
        kind: '1',
        maxPerUseOre: '15000',
        usesPerWindow: '2',
        windowSeconds: String(30 * 86_400),
        categories: '1',
        restrictedToProviders: false,
        validFrom: String(Date.UTC(2027, 0, 1) / 1000),
        validUntil: String(Date.UTC(2028, 0, 1) / 1000),
      },
    ]);
  });

  it('creates a credit program restricted to named providers', async () => {
    const provider = await post('/providers', VALID_PROVIDER);
    const providerId = provider.json().id;
    // Only a provider the municipality admitted (approved) can be named.
    expect((await post(`/providers/${providerId}/approve`, {})).statusCode).toBe(200);
    const response = await post('/programs', {
      name: 'Børnepakke',
      kind: 'credit',
      creditOre: '150000',
      categories: ['clothing', 'books', 'sport'],
      providerIds: [providerId],
      validFrom: '2027-01-01T00:00:00Z',
      validUntil: '2027-12-31T23:59:59Z',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      creditOre: '150000',
      maxPerUseOre: '150000',
      providerIds: [providerId],
    });
    const allow = await outbox(`program:${response.json().id}:provider:%`);
    expect(allow.map((row) => row.args)).toEqual([[response.json().id, String(providerId), true]]);
  });

  it.each([
    ['a credit program without credit', { kind: 'credit' }],
    ['a uses program with credit', { creditOre: '100' }],
    ['a window without its length', { windowDays: undefined }],
    ['validity ending before it starts', { validUntil: '2026-01-01T00:00:00Z' }],
    ['an allow-list naming an unknown provider', { providerIds: [999_999] }],
  ])('refuses %s with 400 PROGRAM_RULES_INVALID', async (_name, overrides) => {
    const response = await post('/programs', { ...FRITIDSPAS, ...overrides });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('PROGRAM_RULES_INVALID');
  });

  it('refuses fractional or negative øre and unknown fields in program rules', async () => {
    for (const overrides of [
      { maxPerUseOre: '150.5' },
      { maxPerUseOre: '-1' },
      { maxPerUseOre: 15000 },
      { budget: '1' },
    ]) {
      const response = await post('/programs', { ...FRITIDSPAS, ...overrides });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it.each([
    ['a float in kroner', { amountKroner: '1500.001' }],
    ['a negative amount', { amountOre: '-100' }],
    ['a fractional øre amount', { amountOre: '100.5' }],
    ['an exponent', { amountOre: '1e5' }],
    ['a JSON number', { amountOre: 150000 }],
    ['zero', { amountOre: '0' }],
    ['both units', { amountOre: '100', amountKroner: '1.00' }],
    ['an unknown field', { amountOre: '100', currency: 'EUR' }],
    ['no idempotency key', { amountOre: '100', requestId: undefined }],
  ])('refuses funding with %s and changes nothing', async (_name, body) => {
    const id = await createDraft();
    const response = await post(
      `/programs/${id}/funding/challenge`,
      { requestId: crypto.randomUUID(), ...body },
      financeToken,
    );
    expect(response.statusCode).toBe(400);
    expect(['VALIDATION_FAILED', 'AMOUNT_INVALID']).toContain(response.json().error.code);
    expect(await budgetOf(id)).toBe(0n);
  });

  it('lets only finance fund, and only in its own municipality', async () => {
    const id = await createDraft();
    expect(
      (
        await post(
          `/programs/${id}/funding/challenge`,
          { amountOre: '100', requestId: crypto.randomUUID() },
          adminToken,
        )
      ).statusCode,
    ).toBe(403);
    const other = await loginAs(testApp, 'other.finance');
    expect(
      (
        await post(
          `/programs/${id}/funding/challenge`,
          { amountOre: '100', requestId: crypto.randomUUID() },
          other,
        )
      ).statusCode,
    ).toBe(404);
    expect(await budgetOf(id)).toBe(0n);
  });

  it('publishes only a funded draft, once', async () => {
    const id = await createDraft();
    const unfunded = await post(`/programs/${id}/publish`, undefined);
    expect(unfunded.statusCode).toBe(409);
    expect(unfunded.json().error.code).toBe('PROGRAM_NOT_FUNDED');
    // Funded on chain by treasury officers' passkeys (program-funding.test.ts); here only the budget.
    await testApp.app.deps.db
      .update(programs)
      .set({ budgetOre: 300_000n })
      .where(eq(programs.id, BigInt(id)));
    const published = await post(`/programs/${id}/publish`, undefined);
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published' });
    expect((await post(`/programs/${id}/publish`, undefined)).json().error.code).toBe('PROGRAM_NOT_DRAFT');
  });

  it('lists programs: staff see drafts, filtered by status on request', async () => {
    const caseworker = await loginAs(testApp, 'caseworker');
    const all = await testApp.app.inject({ method: 'GET', url: '/programs', headers: bearer(caseworker) });
    expect(all.statusCode).toBe(200);
    const statuses = new Set(all.json().map((program: { status: string }) => program.status));
    expect(statuses).toEqual(new Set(['draft', 'published']));
    const published = await testApp.app.inject({
      method: 'GET',
      url: '/programs?status=published',
      headers: bearer(caseworker),
    });
    expect(published.json().every((program: { status: string }) => program.status === 'published')).toBe(
      true,
    );
    expect(published.json().length).toBeGreaterThan(0);
    const other = await loginAs(testApp, 'other.finance');
    const foreign = await testApp.app.inject({ method: 'GET', url: '/programs', headers: bearer(other) });
    expect(foreign.json()).toEqual([]);
  });
});
