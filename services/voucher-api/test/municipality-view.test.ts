import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRedemptionWorld,
  type RedemptionWorld,
  signRedemption,
} from '../src/redemptions/test-world.ts';
import { DEMO_MUNICIPALITY, NEIGHBOUR_MUNICIPALITY } from '../src/seed/demo.ts';

/**
 * Whose municipality people see: the console names the officer's own (GET /municipality), and
 * a voucher names its program's municipality wherever it is shown (the scan, the redemption's
 * answer, the citizen's own list), so the shared club Demo Idrætsforening can tell a Demo
 * Kommune voucher from a Nabo Kommune one.
 */
describe('the municipality people see', () => {
  let w: RedemptionWorld;
  // The chain fixture creates municipality 101 before the demo seed runs, by its test name.
  const own = { id: DEMO_MUNICIPALITY.id, name: 'Testkommune' };
  const neighbour = { id: NEIGHBOUR_MUNICIPALITY.id, name: NEIGHBOUR_MUNICIPALITY.name };

  beforeAll(async () => {
    w = await createRedemptionWorld();
  }, 180_000);
  afterAll(() => w?.close());

  async function getAs(url: string, username: string) {
    const headers = { authorization: `Bearer ${await w.staffToken(username)}` };
    return w.app.inject({ method: 'GET', url, headers });
  }

  async function scan(username: string, pass: string) {
    const headers = { authorization: `Bearer ${await w.staffToken(username)}` };
    return w.app.inject({ method: 'POST', url: '/scans', headers, payload: { pass } });
  }

  /** A Nabo Kommune citizen with its leisure pass, enrolled by its own caseworker. */
  async function neighbourCitizen() {
    const citizen = await w.citizen(['Fritidspas Nabo 2027'], { caseworker: 'nabo.caseworker' });
    return { ...citizen, programId: await w.programId('Fritidspas Nabo 2027') };
  }

  // Enrolled once per file: the tests follow one citizen's pass from scan to redemption.
  let enrolled: Awaited<ReturnType<typeof neighbourCitizen>> | undefined;
  async function neighbourCitizenOnce() {
    enrolled ??= await neighbourCitizen();
    return enrolled;
  }

  it.each([
    ['demo.admin', own],
    ['demo.caseworker', own],
    ['demo.finance1', own],
    ['demo.auditor', own],
    ['nabo.admin', neighbour],
    ['nabo.caseworker', neighbour],
    ['nabo.finance2', neighbour],
    ['nabo.auditor', neighbour],
  ])('%s is told its own municipality', async (username, expected) => {
    const response = await getAs('/municipality', username);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual(expected);
  });

  it('provider staff, citizens and callers without a token are not told a municipality', async () => {
    expect((await getAs('/municipality', 'demo.sport')).statusCode).toBe(403);
    const citizen = await w.citizen([]);
    const asCitizen = await w.app.inject({
      method: 'GET',
      url: '/municipality',
      headers: { authorization: `Bearer ${citizen.token}` },
    });
    expect(asCitizen.statusCode).toBe(403);
    expect((await w.app.inject({ method: 'GET', url: '/municipality' })).statusCode).toBe(401);
  });

  it("the shared club's scan names each voucher's municipality; the neighbour's own club sees only its own", async () => {
    const demoCitizen = await w.citizen(['Fritidspas 2027', 'Børnepakke']);
    const demoScan = await scan('demo.sport', demoCitizen.staticPass);
    expect(demoScan.statusCode, demoScan.body).toBe(200);
    expect(
      demoScan
        .json()
        .vouchers.map((v: Record<string, unknown>) => [v.programName, v.municipalityId, v.municipalityName]),
    ).toEqual([
      ['Fritidspas 2027', own.id, own.name],
      ['Børnepakke', own.id, own.name],
    ]);

    const citizen = await neighbourCitizenOnce();
    for (const provider of ['demo.sport', 'nabo.swim']) {
      const response = await scan(provider, citizen.staticPass);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().vouchers).toEqual([
        expect.objectContaining({
          programName: 'Fritidspas Nabo 2027',
          municipalityId: neighbour.id,
          municipalityName: neighbour.name,
          redeemable: true,
        }),
      ]);
    }
  });

  it("the redemption's answer and the citizen's own list name the voucher's municipality", async () => {
    const citizen = await neighbourCitizenOnce();
    const username = 'demo.sport';
    const headers = { authorization: `Bearer ${await w.staffToken(username)}` };
    const terminal = await w.terminal(username);
    const scanned = await scan(username, citizen.staticPass);
    const deadline = Math.floor(Date.now() / 1000) + 600;
    const message = {
      id: 1n,
      account: citizen.accountId,
      program: citizen.programId,
      provider: await w.providerId(username),
      amountOre: 17_500n,
      deadline,
    };
    const signature = await signRedemption(
      terminal,
      { chainId: w.gateway.chainId, hub: w.gateway.addresses.hub },
      message,
    );
    const redeemed = await w.app.inject({
      method: 'POST',
      url: '/redemptions',
      headers,
      payload: {
        scanId: scanned.json().scanId,
        terminal: terminal.address,
        redemptionId: '1',
        programId: citizen.programId.toString(),
        amountOre: '17500',
        deadline,
        signature,
      },
    });
    expect(redeemed.statusCode, redeemed.body).toBe(200);
    expect(redeemed.json()).toMatchObject({
      status: 'confirmed',
      voucher: { municipalityId: neighbour.id, municipalityName: neighbour.name, usesLeftInWindow: 0 },
    });

    const mine = await w.app.inject({
      method: 'GET',
      url: '/me/vouchers',
      headers: { authorization: `Bearer ${citizen.token}` },
    });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().vouchers).toEqual([
      expect.objectContaining({
        programName: 'Fritidspas Nabo 2027',
        municipalityId: neighbour.id,
        municipalityName: neighbour.name,
      }),
    ]);
  });
});
