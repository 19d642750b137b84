import { auditLog, staffUsers } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator } from '../src/platform/create-operator.ts';
import { bearer, createTestApp, insertStaff, loginAs, PASSWORD, type TestApp } from './support/app.ts';

/**
 * The platform operator creates municipalities and watches the service's health, and is
 * refused everywhere a municipality's people or money are: no route of a municipality lets
 * an operator in, and the health view names no person.
 */
describe('the platform operator', () => {
  let t: TestApp;
  let operator: string;
  const get = (url: string, token: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });

  beforeAll(async () => {
    t = await createTestApp();
    const deps = { ...t.app.deps, now: () => t.clock.now };
    await createOperator(deps, { username: 'ops.olga', password: PASSWORD });
    await insertStaff(t, { username: 'anna.admin', role: 'admin' });
    operator = await loginAs(t, 'ops.olga');
  }, 120_000);
  afterAll(() => t?.close());

  it('sees queue depths, indexers and the municipalities, with no person and no money in the answer', async () => {
    const response = await get('/platform/health', operator);
    expect(response.statusCode, response.body).toBe(200);
    const health = response.json();
    expect(health).toMatchObject({
      database: 'ok',
      chain: { status: 'not configured' },
      redemptionsPending: 0,
    });
    expect(health.municipalities).toEqual([
      { id: 101, name: 'Testkommune' },
      { id: 147, name: 'Anden Kommune' },
    ]);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).not.toMatch(/iban|Ore"|cpr|anna\.admin/i);
  });

  it('is refused by every municipal route, and municipal staff are refused the platform', async () => {
    for (const url of [
      '/citizens/00000000-0000-4000-8000-000000000001',
      '/periods',
      '/settlements',
      '/providers',
      '/staff',
    ]) {
      const response = await get(url, operator);
      expect([403, 404], `${url}: ${response.body}`).toContain(response.statusCode);
    }
    const admin = await loginAs(t, 'anna.admin');
    expect((await get('/platform/health', admin)).statusCode).toBe(403);
    const create = await t.app.inject({
      method: 'POST',
      url: '/platform/municipalities',
      headers: bearer(admin),
      payload: {
        municipalityId: 751,
        name: 'Aarhus Kommune',
        adminUsername: 'aarhus.admin',
        adminPassword: PASSWORD,
      },
    });
    expect(create.statusCode).toBe(403);
  });

  it('creates a municipality with its first admin, who then sees only that municipality; a second time is refused', async () => {
    const payload = {
      municipalityId: 751,
      name: 'Aarhus Kommune',
      adminUsername: 'aarhus.admin',
      adminPassword: PASSWORD,
    };
    const created = await t.app.inject({
      method: 'POST',
      url: '/platform/municipalities',
      headers: bearer(operator),
      payload,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ municipalityId: 751, adminUsername: 'aarhus.admin' });
    const aarhusAdmin = await loginAs(t, 'aarhus.admin');
    expect((await get('/municipality', aarhusAdmin)).json()).toEqual({ id: 751, name: 'Aarhus Kommune' });

    const [audit] = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subjectId, created.json().adminId));
    expect(audit).toMatchObject({ action: 'staff.created', actorRole: 'operator', municipalityId: 751 });

    const again = await t.app.inject({
      method: 'POST',
      url: '/platform/municipalities',
      headers: bearer(operator),
      payload: { ...payload, adminUsername: 'aarhus.admin2' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ADMIN_ALREADY_EXISTS');
  });

  it('belongs to no municipality in the database', async () => {
    const [row] = await t.database.db.select().from(staffUsers).where(eq(staffUsers.username, 'ops.olga'));
    expect(row).toMatchObject({ role: 'operator', municipalityId: null });
    await expect(
      t.database.db
        .update(staffUsers)
        .set({ municipalityId: 101 })
        .where(eq(staffUsers.username, 'ops.olga')),
    ).rejects.toThrow();
  });
});
