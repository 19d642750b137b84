import { citizens } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessClaims } from '../src/auth/claims.ts';
import { enrolCitizen } from '../src/privacy/enrol-citizen.ts';
import {
  createSettlementWorld,
  type SettlementWorld,
} from '../src/routes/settlements/test-settlement-world.ts';
import { DEMO_MUNICIPALITY, NEIGHBOUR_MUNICIPALITY } from '../src/seed/demo.ts';
import { claimsOfUsername } from '../src/staff/staff-claims.ts';

/**
 * The walls between municipalities, as the stories of issue #11 broke them: two demo
 * municipalities on one chain and one service (Demo Kommune and Nabo Kommune, which share
 * Demo Idrætsforening), every step through the HTTP routes and the real contracts.
 */
describe('municipalities walled off from each other', () => {
  let s: SettlementWorld;
  const auth = async (username: string) => ({ authorization: `Bearer ${await s.token(username)}` });
  const get = async (url: string, username: string) =>
    s.app.inject({ method: 'GET', url, headers: await auth(username) });
  const post = async (url: string, username: string, payload: object = {}) =>
    s.app.inject({ method: 'POST', url, headers: await auth(username), payload });

  beforeAll(async () => {
    s = await createSettlementWorld();
  }, 180_000);
  afterAll(() => s?.close());

  function claims(username: string): Promise<AccessClaims> {
    return claimsOfUsername(s.world.deps.db, username);
  }

  async function scan(username: string, pass: string) {
    const headers = { authorization: `Bearer ${await s.world.staffToken(username)}` };
    return s.world.app.inject({ method: 'POST', url: '/scans', headers, payload: { pass } });
  }

  it("a provider only the neighbour admitted sees none of a Demo citizen's vouchers", async () => {
    const citizen = await s.world.citizen(['Fritidspas 2027', 'Børnepakke']);
    const response = await scan('nabo.swim', citizen.staticPass);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().vouchers).toEqual([]);
    const shared = await scan('demo.sport', citizen.staticPass);
    expect(shared.json().vouchers.map((v: { programName: string }) => v.programName)).toContain(
      'Fritidspas 2027',
    );
  });

  it("the shared provider sees each municipality's vouchers and accrues in that municipality's period", async () => {
    const neighbourCitizen = await s.world.citizen(['Fritidspas Nabo 2027'], {
      caseworker: 'nabo.caseworker',
    });
    const demoCitizen = await s.world.citizen(['Fritidspas 2027']);
    const terminal = await s.world.terminal('demo.sport');
    const demoBefore = BigInt((await get('/periods', 'demo.finance1')).json()[0].accruedOre);

    const sport = { provider: 'demo.sport', terminal };
    await s.redeem({ citizen: demoCitizen, ...sport, program: 'Fritidspas 2027', amountOre: 10_000n });
    await s.redeem({
      citizen: neighbourCitizen,
      ...sport,
      program: 'Fritidspas Nabo 2027',
      amountOre: 17_500n,
    });
    const neighbourPeriods = await get('/periods', 'nabo.finance1');
    expect(neighbourPeriods.json()[0]).toMatchObject({
      periodId: 1,
      accruedOre: '17500',
      redemptionCount: 1,
    });
    const demoPeriods = await get('/periods', 'demo.finance1');
    expect(BigInt(demoPeriods.json()[0].accruedOre) - demoBefore).toBe(10_000n);
    const sportId = await s.world.providerId('demo.sport');
    const statements = await get(`/providers/${sportId}/statements`, 'demo.sport');
    expect(statements.json().map((row: { municipalityId: number }) => row.municipalityId)).toEqual(
      expect.arrayContaining([DEMO_MUNICIPALITY.id, NEIGHBOUR_MUNICIPALITY.id]),
    );
    // The neighbour's period 1 for the shared club, chosen by municipality in the query.
    const neighbourStatement = await get(`/providers/${sportId}/statements/1?municipality=147`, 'demo.sport');
    expect(neighbourStatement.statusCode, neighbourStatement.body).toBe(200);
    expect(neighbourStatement.json()).toMatchObject({
      municipalityId: NEIGHBOUR_MUNICIPALITY.id,
      totalOre: '17500',
      redemptionCount: 1,
    });
  });

  it("the neighbour's finance officers close their own period only; Demo's stays open", async () => {
    const { response: close } = await s.signedStep(
      'nabo.finance1',
      '/periods/close/challenge',
      '/periods/close',
      { periodId: 1 },
    );
    expect(close.statusCode, close.body).toBe(200);
    const neighbour = await get('/periods', 'nabo.finance1');
    expect(neighbour.json().map((p: { periodId: number; status: string }) => [p.periodId, p.status])).toEqual(
      [
        [2, 'open'],
        [1, 'closed'],
      ],
    );
    const demo = await get('/periods', 'demo.finance1');
    expect(demo.json()[0]).toMatchObject({ periodId: 1, status: 'open' });
  });

  it("another municipality's settlement, reconciliation and ids answer 404 or show only its own figures", async () => {
    const { response: proposal } = await s.signedStep(
      'nabo.finance1',
      '/settlements/challenge',
      '/settlements',
      { periodId: 1 },
      (challenge) => ({ totalOre: challenge.totalOre }),
    );
    expect([200, 201, 202], proposal.body).toContain(proposal.statusCode);
    const id = proposal.json().id as string;
    expect((await get(`/settlements/${id}`, 'demo.finance1')).statusCode).toBe(404);
    expect((await post(`/settlements/${id}/approve/challenge`, 'demo.finance2')).statusCode).toBe(404);
    const report = await get('/periods/1/reconciliation', 'nabo.finance1');
    expect(report.json()).toMatchObject({ municipalityId: NEIGHBOUR_MUNICIPALITY.id, periodId: 1 });
  });

  it("the neighbour cannot name Demo's own providers in a program's allow-list", async () => {
    const demoOnly = await s.world.providerId('demo.culture');
    const response = await post('/programs', 'nabo.admin', {
      name: 'Kulturpas Nabo',
      kind: 'credit',
      creditOre: '50000',
      maxPerUseOre: '10000',
      categories: ['culture'],
      validFrom: new Date(Date.now() - 86_400_000).toISOString(),
      validUntil: new Date(Date.now() + 300 * 86_400_000).toISOString(),
      providerIds: [demoOnly],
    });
    expect(response.statusCode, response.body).toBe(400);
  });

  it('a person who moves is enrolled by the new municipality, and the old one only learns of the move', async () => {
    const cpr = '0202904321';
    const person = {
      name: 'Flytte Borger',
      address: { street: 'Flyttevej 2', postalCode: '2100', city: 'København Ø' },
      birthDate: '1990-02-02',
      childrenBirthYears: [],
      contact: { email: 'flytte@example.invalid' },
      householdIncomeOre: null,
    };
    const first = await enrolCitizen(s.world.deps, {
      actor: await claims('demo.caseworker'),
      cpr,
      ...person,
    });
    const second = await enrolCitizen(s.world.deps, {
      actor: await claims('nabo.caseworker'),
      cpr,
      ...person,
    });
    expect(second.citizenId).not.toBe(first.citizenId);
    const [old] = await s.world.deps.db.select().from(citizens).where(eq(citizens.id, first.citizenId));
    expect(old?.movedOutAt).toBeInstanceOf(Date);
    expect(old?.municipalityId).toBe(DEMO_MUNICIPALITY.id);
  });
});
