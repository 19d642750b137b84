import { municipalities } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PASSWORD, type TestApp } from '../../test/support/app.ts';
import type { DomainDeps } from '../deps.ts';
import { createFirstAdmin } from './create-first-admin.ts';

describe('the first admin of a municipality (bootstrap command)', () => {
  let testApp: TestApp;
  let deps: DomainDeps;
  beforeAll(async () => {
    testApp = await createTestApp();
    deps = { config: testApp.config, db: testApp.database.db, now: () => new Date(), chain: undefined };
  });
  afterAll(() => testApp.close());

  const login = (username: string, password: string) =>
    testApp.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password } });

  it('creates the municipality and an admin who can log in, and refuses a second one', async () => {
    const admin = await createFirstAdmin(deps, {
      municipalityId: 751,
      municipalityName: 'Aarhus Kommune',
      username: 'anna.admin',
      password: PASSWORD,
    });
    expect(admin).toMatchObject({ role: 'admin', municipalityId: 751 });
    const [row] = await testApp.database.db.select().from(municipalities).where(eq(municipalities.id, 751));
    expect(row?.name).toBe('Aarhus Kommune');
    expect((await login('anna.admin', PASSWORD)).statusCode).toBe(200);

    await expect(
      createFirstAdmin(deps, { municipalityId: 751, username: 'second.admin', password: PASSWORD }),
    ).rejects.toMatchObject({ code: 'ADMIN_ALREADY_EXISTS' });
    expect((await login('second.admin', PASSWORD)).statusCode).toBe(401);
  });

  it('needs a name for a new municipality and a strong password, and then changes nothing', async () => {
    await expect(
      createFirstAdmin(deps, { municipalityId: 461, username: 'odense.admin', password: PASSWORD }),
    ).rejects.toMatchObject({ code: 'MUNICIPALITY_NAME_REQUIRED' });
    await expect(
      createFirstAdmin(deps, { municipalityId: 101, username: 'weak.admin', password: 'short' }),
    ).rejects.toMatchObject({ code: 'PASSWORD_TOO_WEAK' });
    expect(await testApp.database.db.select().from(municipalities).where(eq(municipalities.id, 461))).toEqual(
      [],
    );
    expect((await login('weak.admin', 'short')).statusCode).toBe(401);
  });
});
