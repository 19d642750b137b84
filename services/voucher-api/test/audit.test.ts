import { auditLog, verifyAuditChain } from '@voucher/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, insertStaff, loginAs, type TestApp, VALID_PROVIDER } from './support/app.ts';

describe('the audit log', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
    await insertStaff(testApp, { username: 'admin', role: 'admin' });
    const token = await loginAs(testApp, 'admin');
    const created = await testApp.app.inject({
      method: 'POST',
      url: '/providers',
      headers: bearer(token),
      payload: VALID_PROVIDER,
    });
    await testApp.app.inject({
      method: 'POST',
      url: `/providers/${created.json().id}/approve`,
      headers: bearer(token),
    });
    await testApp.app.inject({
      method: 'POST',
      url: '/staff',
      headers: bearer(token),
      payload: { username: 'new.caseworker', password: 'a-long-password!', role: 'caseworker' },
    });
  });
  afterAll(() => testApp.close());

  it('records every staff change in a chain that verifies', async () => {
    const rows = await testApp.database.db.select().from(auditLog).orderBy(auditLog.seq);
    // The two test municipalities' creation comes first (src/municipalities/create-municipality.ts).
    expect(rows.map((row) => row.action)).toEqual([
      'municipality.created',
      'municipality.created',
      'provider.onboarded',
      'provider.approved',
      'staff.created',
    ]);
    expect(rows.map((row) => row.seq)).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(await verifyAuditChain(testApp.database.db)).toEqual({ ok: true, entries: 5 });
  });

  it('holds ids, not the provider address or contact details', async () => {
    const text = JSON.stringify(
      (await testApp.database.db.select().from(auditLog)).map((row) => row.details),
    );
    expect(text).not.toContain(VALID_PROVIDER.address);
    expect(text).not.toContain(VALID_PROVIDER.contactEmail);
    expect(text).not.toContain('new.caseworker');
  });

  it('refuses UPDATE and DELETE in the database itself', async () => {
    await expect(
      testApp.database.db.execute(sql`UPDATE audit_log SET action = 'x' WHERE seq = 1`),
    ).rejects.toThrow();
    await expect(testApp.database.db.execute(sql`DELETE FROM audit_log WHERE seq = 3`)).rejects.toThrow();
    expect(await verifyAuditChain(testApp.database.db)).toMatchObject({ ok: true, entries: 5 });
  });

  it('detects a row tampered with behind the trigger', async () => {
    // Someone with superuser rights bypasses the trigger: the hash chain still gives them away.
    await testApp.database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(sql`UPDATE audit_log SET details = '{"cvr":"00000000"}'::jsonb WHERE seq = 2`);
    });
    expect(await verifyAuditChain(testApp.database.db)).toEqual({
      ok: false,
      entries: 1,
      brokenAtSeq: 2n,
      reason: 'hash',
    });
  });
});
