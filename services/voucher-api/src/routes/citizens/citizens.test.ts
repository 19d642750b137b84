import { accounts, auditLog, chainOutbox, citizens } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  insertStaff,
  loginAs,
  MUNICIPALITY_ID,
  OTHER_MUNICIPALITY_ID,
  type TestApp,
} from '../../../test/support/app.ts';
import { enrol, insertPublishedProgram, KAREN, person } from './test-helpers.ts';

describe('citizen enrolment and the vault', () => {
  let testApp: TestApp;
  let caseworker: string;
  let otherCaseworker: string;
  let admin: string;
  beforeAll(async () => {
    testApp = await createTestApp();
    await insertStaff(testApp, { username: 'case', role: 'caseworker' });
    await insertStaff(testApp, {
      username: 'other.case',
      role: 'caseworker',
      municipalityId: OTHER_MUNICIPALITY_ID,
    });
    await insertStaff(testApp, { username: 'admin', role: 'admin' });
    caseworker = await loginAs(testApp, 'case');
    otherCaseworker = await loginAs(testApp, 'other.case');
    admin = await loginAs(testApp, 'admin');
  });
  afterAll(() => testApp.close());

  const get = (url: string, token = caseworker) =>
    testApp.app.inject({ method: 'GET', url, headers: bearer(token) });
  const post = (url: string, token = caseworker) =>
    testApp.app.inject({ method: 'POST', url, headers: bearer(token) });

  it('enrols a citizen: sealed vault row, random account, pass, code and an on-chain registration', async () => {
    const response = await enrol(testApp, caseworker, KAREN);
    expect(response.statusCode).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body).toMatchObject({
      accountId: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      passSerial: expect.any(String),
    });
    expect(body.activationCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}$/);

    const [row] = await testApp.database.db.select().from(citizens).where(eq(citizens.id, body.citizenId));
    expect(row?.sealedRecord?.toString('latin1')).not.toContain('Karen');
    const [account] = await testApp.database.db
      .select()
      .from(accounts)
      .where(eq(accounts.citizenId, body.citizenId));
    expect(`0x${account?.accountId.toString('hex')}`).toBe(body.accountId);
    const [intent] = await testApp.database.db
      .select()
      .from(chainOutbox)
      .where(eq(chainOutbox.idempotencyKey, `account:${body.accountId}:register`));
    expect(intent).toMatchObject({
      contract: 'hub',
      functionName: 'registerAccount',
      args: [String(MUNICIPALITY_ID), body.accountId],
    });
    const audit = await testApp.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subjectId, body.citizenId));
    expect(audit.map((entry) => entry.action)).toEqual(['citizen.enrolled']);
    expect(asText(audit)).not.toMatch(/Karen|150690|Nørrebrogade/);
  });

  it('refuses the same CPR twice with 409, in either notation', async () => {
    const again = await enrol(testApp, caseworker, person({ cpr: '1506901236', name: 'Someone Else' }));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CITIZEN_ALREADY_ENROLLED');
  });

  it('rejects a bad CPR without echoing it', async () => {
    const response = await enrol(
      testApp,
      caseworker,
      person({ cpr: '320190-1234', birthDate: '1990-01-32' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('CPR_INVALID');
    expect(response.body).not.toContain('320190');
  });

  it('rejects a birth date that does not match the CPR', async () => {
    const response = await enrol(
      testApp,
      caseworker,
      person({ cpr: '010203-4567', birthDate: '2003-02-02' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('BIRTH_DATE_MISMATCH');
  });

  it('rejects unknown fields, also nested ones', async () => {
    const top = await enrol(testApp, caseworker, {
      ...person({ cpr: '020202-4568', birthDate: '2002-02-02' }),
      vip: true,
    });
    const nested = await enrol(testApp, caseworker, {
      ...person({ cpr: '020202-4568', birthDate: '2002-02-02' }),
      address: { ...KAREN.address, floor: 3 },
    });
    for (const response of [top, nested]) {
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('rejects negative, fractional or numeric øre for the household income', async () => {
    for (const householdIncomeOre of ['-1', '12.50', '1e6', 24000000]) {
      const response = await enrol(testApp, caseworker, {
        ...person({ cpr: '040404-4561', birthDate: '2004-04-04' }),
        householdIncomeOre,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('lets only caseworkers enrol', async () => {
    expect(
      (await enrol(testApp, admin, person({ cpr: '030303-4567', birthDate: '2003-03-03' }))).statusCode,
    ).toBe(403);
    const anonymous = await testApp.app.inject({ method: 'POST', url: '/citizens', payload: KAREN });
    expect(anonymous.statusCode).toBe(401);
  });

  it('finds a citizen by CPR in the body and shows the decrypted record', async () => {
    const lookup = await testApp.app.inject({
      method: 'POST',
      url: '/citizens/lookup',
      headers: bearer(caseworker),
      payload: { cpr: '1506901236' },
    });
    expect(lookup.statusCode).toBe(200);
    const view = await get(`/citizens/${lookup.json().citizenId}`);
    expect(view.statusCode).toBe(200);
    expect(view.headers['cache-control']).toBe('no-store');
    expect(view.json()).toMatchObject({
      cpr: '150690-1236',
      name: KAREN.name,
      address: KAREN.address,
      birthDate: '1990-06-15',
      childrenBirthYears: [2016, 2019],
      householdIncomeOre: '24000000',
      account: { status: 'active' },
      currentPass: { serial: expect.any(String) },
      grants: [],
    });
  });

  it("answers 404 for another municipality's citizen, an unknown id and a malformed id", async () => {
    const { citizenId } = (
      await testApp.app.inject({
        method: 'POST',
        url: '/citizens/lookup',
        headers: bearer(caseworker),
        payload: { cpr: KAREN.cpr },
      })
    ).json();
    for (const response of [
      await get(`/citizens/${citizenId}`, otherCaseworker),
      await get(`/citizens/${citizenId}/export`, otherCaseworker),
      await post(`/citizens/${citizenId}/letter`, otherCaseworker),
      await get('/citizens/00000000-0000-4000-8000-000000000000'),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('NOT_FOUND');
    }
    const lookup = await testApp.app.inject({
      method: 'POST',
      url: '/citizens/lookup',
      headers: bearer(otherCaseworker),
      payload: { cpr: KAREN.cpr },
    });
    expect(lookup.statusCode).toBe(404);
    expect((await get('/citizens/not-a-uuid')).statusCode).toBe(400);
  });

  it('prints the letter as no-store HTML with the code and QR, and renders the pass as SVG and PNG', async () => {
    const enrolled = (
      await enrol(
        testApp,
        caseworker,
        person({ cpr: '111111-1118', birthDate: '1911-11-11', name: 'Ib Hansen' }),
      )
    ).json();
    const letter = await post(`/citizens/${enrolled.citizenId}/letter`);
    expect(letter.statusCode).toBe(200);
    expect(letter.headers['content-type']).toMatch(/^text\/html/);
    expect(letter.headers['cache-control']).toBe('no-store');
    expect(letter.body).toContain('Testkommune');
    expect(letter.body).toContain('Ib Hansen');
    expect(letter.body).toMatch(
      /Aktiveringskode: <span class="code">[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}<\/span>/,
    );
    expect(letter.body).toMatch(/<div class="qr"><svg/);

    const svg = await get(`/citizens/${enrolled.citizenId}/passes/current.svg`);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.body).toMatch(/^<svg/);
    const png = await get(`/citizens/${enrolled.citizenId}/passes/current.png`);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString('ascii')).toBe('PNG');
  });
});

describe('eligibility and grants', () => {
  let testApp: TestApp;
  let caseworker: string;
  let parentId: string;
  let singleId: string;
  let childrenProgram: bigint;
  let openProgram: bigint;
  beforeAll(async () => {
    testApp = await createTestApp();
    await insertStaff(testApp, { username: 'case', role: 'caseworker' });
    caseworker = await loginAs(testApp, 'case');
    childrenProgram = await insertPublishedProgram(testApp, {
      name: 'Børnepakke',
      eligibilityRule: {
        childrenBornBetween: { fromYear: 2010, toYear: 2025 },
        householdIncomeBelowOre: '30000000',
      },
    });
    openProgram = await insertPublishedProgram(testApp, { name: 'Fritidspas', kind: 'uses' });
    parentId = (await enrol(testApp, caseworker, KAREN)).json().citizenId;
    singleId = (
      await enrol(
        testApp,
        caseworker,
        person({ cpr: '010170-1235', birthDate: '1970-01-01', childrenBirthYears: [] }),
      )
    ).json().citizenId;
  });
  afterAll(() => testApp.close());

  const grant = (citizenId: string, programId: bigint) =>
    testApp.app.inject({
      method: 'POST',
      url: `/citizens/${citizenId}/grants`,
      headers: bearer(caseworker),
      payload: { programId: programId.toString() },
    });

  it('lists the programs a citizen qualifies for, with reasons', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: `/citizens/${singleId}/eligibility`,
      headers: bearer(caseworker),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      {
        programId: childrenProgram.toString(),
        programName: 'Børnepakke',
        eligible: false,
        reasons: ['TOO_FEW_CHILDREN_IN_RANGE', 'INCOME_BELOW_THRESHOLD'],
        alreadyGranted: false,
      },
      {
        programId: openProgram.toString(),
        programName: 'Fritidspas',
        eligible: true,
        reasons: ['NO_CONDITIONS'],
        alreadyGranted: false,
      },
    ]);
  });

  it('grants on chain once per person and program', async () => {
    const first = await grant(parentId, childrenProgram);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      programId: childrenProgram.toString(),
      amountOre: '150000',
      uses: null,
    });
    const [intent] = await testApp.database.db
      .select()
      .from(chainOutbox)
      .where(eq(chainOutbox.idempotencyKey, `grant:${first.json().grantId}`));
    expect(intent).toMatchObject({
      functionName: 'grant',
      args: [first.json().accountId, childrenProgram.toString(), '150000'],
    });

    const second = await grant(parentId, childrenProgram);
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('GRANT_ALREADY_GIVEN');
  });

  it('refuses a grant the citizen is not eligible for', async () => {
    const response = await grant(singleId, childrenProgram);
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({
      code: 'NOT_ELIGIBLE',
      details: { reasons: 'TOO_FEW_CHILDREN_IN_RANGE' },
    });
  });

  it('bulk-grants to every eligible citizen, skipping those already granted', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: `/programs/${openProgram}/bulk-grant`,
      headers: bearer(caseworker),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      programId: openProgram.toString(),
      granted: 2,
      alreadyGranted: 0,
      notEligible: 0,
      budgetExhausted: false,
    });
    const again = await testApp.app.inject({
      method: 'POST',
      url: `/programs/${openProgram}/bulk-grant`,
      headers: bearer(caseworker),
    });
    expect(again.json()).toMatchObject({ granted: 0, alreadyGranted: 2 });
    const view = await testApp.app.inject({
      method: 'GET',
      url: `/citizens/${parentId}`,
      headers: bearer(caseworker),
    });
    expect(
      view
        .json()
        .grants.map((entry: { programName: string }) => entry.programName)
        .sort(),
    ).toEqual(['Børnepakke', 'Fritidspas']);
  });

  it('refuses a grant beyond the funded budget', async () => {
    const tiny = await insertPublishedProgram(testApp, { name: 'Lille', budgetOre: 100n });
    const response = await grant(parentId, tiny);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('PROGRAM_BUDGET_EXCEEDED');
  });
});

function asText(value: unknown): string {
  return JSON.stringify(value, (_key, field) => (typeof field === 'bigint' ? field.toString() : field));
}
