import { chainOutbox, staffUsers } from '@voucher/db';
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, insertStaff, loginAs, type TestApp } from './support/app.ts';

describe('POST /staff', () => {
  let testApp: TestApp;
  let adminToken: string;
  beforeAll(async () => {
    testApp = await createTestApp();
    await insertStaff(testApp, { username: 'admin', role: 'admin' });
    adminToken = await loginAs(testApp, 'admin');
  });
  afterAll(() => testApp.close());

  const createStaff = (payload: object, token = adminToken) =>
    testApp.app.inject({ method: 'POST', url: '/staff', headers: bearer(token), payload });

  it('creates a caseworker who can then log in', async () => {
    const response = await createStaff({
      username: 'case.worker',
      password: 'a-long-password!',
      role: 'caseworker',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      username: 'case.worker',
      role: 'caseworker',
      municipalityId: 101,
    });
    expect(response.json().chainAddress).toBeNull();
    expect(await loginAs(testApp, 'case.worker', 'a-long-password!')).toBeTypeOf('string');
  });

  it('holds no chain key for a finance officer: the officer signs with their own passkey', async () => {
    const response = await createStaff({
      username: 'finance.one',
      password: 'a-long-password!',
      role: 'finance',
    });
    expect(response.statusCode).toBe(201);
    const { id, chainAddress } = response.json();
    expect(chainAddress).toBeNull();
    const [row] = await testApp.database.db.select().from(staffUsers).where(eq(staffUsers.id, id));
    expect(row?.chainKeyWrapped).toBeNull();
    expect(row?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    // The officer's role on chain is granted to each enrolled passkey (passkey-on-chain.ts).
    const intents = await testApp.database.db
      .select()
      .from(chainOutbox)
      .where(like(chainOutbox.idempotencyKey, `staff:${id}:%`));
    expect(intents).toEqual([]);
  });

  it('refuses a taken username with 409', async () => {
    const payload = { username: 'twice', password: 'a-long-password!', role: 'auditor' };
    expect((await createStaff(payload)).statusCode).toBe(201);
    const again = await createStaff(payload);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('USERNAME_TAKEN');
  });

  it('refuses a short password, unknown fields and a provider_staff role here', async () => {
    const short = await createStaff({ username: 'shorty', password: 'short', role: 'auditor' });
    const extra = await createStaff({
      username: 'extra',
      password: 'a-long-password!',
      role: 'auditor',
      isRoot: true,
    });
    const provider = await createStaff({
      username: 'pstaff',
      password: 'a-long-password!',
      role: 'provider_staff',
    });
    for (const response of [short, extra, provider]) {
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect(extra.json().error.details).toMatchObject({ rule: 'additionalProperties', field: 'isRoot' });
    const rows = await testApp.database.db.select().from(staffUsers).where(eq(staffUsers.username, 'extra'));
    expect(rows).toHaveLength(0);
  });

  it('is for admins only', async () => {
    await insertStaff(testApp, { username: 'auditor', role: 'auditor' });
    const token = await loginAs(testApp, 'auditor');
    const response = await createStaff(
      { username: 'sneaky', password: 'a-long-password!', role: 'admin' },
      token,
    );
    expect(response.statusCode).toBe(403);
  });
});
