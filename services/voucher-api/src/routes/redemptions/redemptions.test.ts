import { passes, redemptions, terminals } from '@voucher/db';
import { and, eq } from 'drizzle-orm';
import { type Hex, hexToBytes } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/app.ts';
import { buildApp } from '../../app.ts';
import {
  createRedemptionWorld,
  type RedemptionWorld,
  signRedemption,
  suspendProvider,
  type WorldCitizen,
} from '../../redemptions/test-world.ts';

const FRITIDSPAS = 'Fritidspas 2027';
const BORNEPAKKE = 'Børnepakke';
const PERSONAL = ['Hemmeligsen', 'Skjultvej', 'hemmelig@example.invalid', '0185-'];

describe('redemption at the counter, through HTTP on anvil', () => {
  let world: RedemptionWorld;
  let sportToken: string;
  let cultureToken: string;
  let sportId: number;
  let fritidspas: bigint;
  let bornepakke: bigint;
  let till: PrivateKeyAccount;
  let nextId = 1n;
  beforeAll(async () => {
    world = await createRedemptionWorld();
    sportToken = await world.staffToken('demo.sport');
    cultureToken = await world.staffToken('demo.culture');
    sportId = await world.providerId('demo.sport');
    fritidspas = await world.programId(FRITIDSPAS);
    bornepakke = await world.programId(BORNEPAKKE);
    till = await world.terminal('demo.sport');
  }, 180_000);
  afterAll(() => world?.close());

  const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'accept-language': 'en' });

  async function scan(pass: string, token = sportToken) {
    return world.app.inject({ method: 'POST', url: '/scans', headers: auth(token), payload: { pass } });
  }

  async function scanId(pass: string, token = sportToken): Promise<string> {
    const response = await scan(pass, token);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().scanId;
  }

  interface RedeemArgs {
    citizen: WorldCitizen;
    scan: string;
    programId: bigint;
    amountOre: bigint;
    terminal?: PrivateKeyAccount;
    signer?: PrivateKeyAccount;
    providerId?: number;
    token?: string;
    id?: bigint;
    deadline?: number;
  }

  async function redeemBody(args: RedeemArgs) {
    const terminal = args.terminal ?? till;
    const id = args.id ?? nextId++;
    const deadline = args.deadline ?? Math.floor(Date.now() / 1000) + 600;
    const signature = await signRedemption(
      args.signer ?? terminal,
      { chainId: world.gateway.chainId, hub: world.gateway.addresses.hub },
      {
        id,
        account: args.citizen.accountId,
        program: args.programId,
        provider: args.providerId ?? sportId,
        amountOre: args.amountOre,
        deadline,
      },
    );
    return {
      scanId: args.scan,
      terminal: terminal.address,
      redemptionId: id.toString(),
      programId: args.programId.toString(),
      amountOre: args.amountOre.toString(),
      deadline,
      signature,
    };
  }

  async function redeem(args: RedeemArgs) {
    const payload = await redeemBody(args);
    return world.app.inject({
      method: 'POST',
      url: '/redemptions',
      headers: auth(args.token ?? sportToken),
      payload,
    });
  }

  async function rowsOf(citizen: WorldCitizen) {
    return world.deps.db.select().from(redemptions).where(eq(redemptions.account, citizen.accountId));
  }

  async function grantOnChain(citizen: WorldCitizen, programId: bigint) {
    const { voucherHubAbi } = await import('@voucher/contracts');
    return world.gateway.publicClient.readContract({
      address: world.gateway.addresses.hub,
      abi: voucherHubAbi,
      functionName: 'grantOf',
      args: [citizen.accountId, programId],
    });
  }

  it('scans a printed pass: which vouchers this provider can take now, and why not the others, without personal data', async () => {
    const citizen = await world.citizen([FRITIDSPAS, BORNEPAKKE]);
    const atSport = await scan(citizen.staticPass);
    expect(atSport.statusCode, atSport.body).toBe(200);
    const body = atSport.json();
    expect(body).toMatchObject({ account: citizen.accountId, passKind: 'static' });
    const byName = Object.fromEntries(
      body.vouchers.map((voucher: { programName: string }) => [voucher.programName, voucher]),
    );
    expect(byName[FRITIDSPAS]).toMatchObject({
      kind: 'uses',
      remainingUses: 24,
      usesLeftInWindow: 2,
      redeemable: true,
      maxPerUseOre: '15000',
    });
    expect(byName[BORNEPAKKE]).toMatchObject({ kind: 'credit', remainingOre: '150000', redeemable: true });

    const atCulture = await scan(citizen.staticPass, cultureToken);
    expect(atCulture.statusCode).toBe(200);
    for (const voucher of atCulture.json().vouchers) {
      expect(voucher).toMatchObject({ redeemable: false, reason: { code: 'CATEGORY_NOT_ALLOWED' } });
      expect(voucher.reason.message).toMatch(/not valid for this kind of provider/);
    }
    for (const text of PERSONAL) {
      expect(atSport.body).not.toContain(text);
      expect(atCulture.body).not.toContain(text);
    }
  });

  it('redeems once the chain accepted it, answers a retry with the same result and a changed payload with 422', async () => {
    const citizen = await world.citizen([FRITIDSPAS]);
    const scanned = await scanId(citizen.rotatingPass());
    const payload = await redeemBody({ citizen, scan: scanned, programId: fritidspas, amountOre: 12_500n });
    const first = await world.app.inject({
      method: 'POST',
      url: '/redemptions',
      headers: auth(sportToken),
      payload,
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      status: 'confirmed',
      amountOre: '12500',
      periodId: expect.stringMatching(/^[0-9]+$/),
      txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      voucher: { remainingUses: 23, usesLeftInWindow: 1 },
    });
    const retry = await world.app.inject({
      method: 'POST',
      url: '/redemptions',
      headers: auth(sportToken),
      payload,
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().txHash).toBe(first.json().txHash);

    const changed = await redeemBody({
      citizen,
      scan: scanned,
      programId: fritidspas,
      amountOre: 12_000n,
      id: BigInt(payload.redemptionId),
    });
    const reused = await world.app.inject({
      method: 'POST',
      url: '/redemptions',
      headers: auth(sportToken),
      payload: changed,
    });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('REDEMPTION_ID_REUSED');

    const rows = await rowsOf(citizen);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'confirmed', amountOre: 12_500n, providerId: sportId });
    const onChain = await grantOnChain(citizen, fritidspas);
    expect(onChain.remaining).toBe(23n);
    const status = await world.app.inject({
      method: 'GET',
      url: first.json().statusUrl,
      headers: auth(sportToken),
    });
    expect(status.json()).toMatchObject({ status: 'confirmed', txHash: first.json().txHash });
  });

  it('refuses a third use in the window with the date of the next possible use, and changes nothing', async () => {
    const citizen = await world.citizen([FRITIDSPAS]);
    const scanned = await scanId(citizen.staticPass);
    for (let i = 0; i < 2; i++) {
      const ok = await redeem({ citizen, scan: scanned, programId: fritidspas, amountOre: 10_000n });
      expect(ok.statusCode, ok.body).toBe(200);
    }
    const third = await redeem({ citizen, scan: scanned, programId: fritidspas, amountOre: 10_000n });
    expect(third.statusCode).toBe(409);
    const error = third.json().error;
    expect(error.code).toBe('USES_EXHAUSTED_THIS_WINDOW');
    expect(new Date(error.details.nextPossibleAt).getTime()).toBeGreaterThan(Date.now());
    expect(error.messageDa).toMatch(/næste mulige brug/i);

    const rescan = (await scan(citizen.staticPass)).json();
    const voucher = rescan.vouchers.find((v: { programName: string }) => v.programName === FRITIDSPAS);
    expect(voucher).toMatchObject({
      redeemable: false,
      usesLeftInWindow: 0,
      remainingUses: 22,
      reason: { code: 'USES_EXHAUSTED_THIS_WINDOW' },
    });
    expect(voucher.nextPossibleAt).toBe(error.details.nextPossibleAt);
    expect(await rowsOf(citizen)).toHaveLength(2);
  });

  it('refuses an amount over the per-use cap and more than the credit left', async () => {
    const citizen = await world.citizen([FRITIDSPAS, BORNEPAKKE]);
    const scanned = await scanId(citizen.staticPass);
    const overCap = await redeem({ citizen, scan: scanned, programId: fritidspas, amountOre: 15_001n });
    expect(overCap.statusCode).toBe(422);
    expect(overCap.json().error).toMatchObject({
      code: 'AMOUNT_OVER_CAP',
      details: { maxPerUseOre: '15000' },
    });

    const most = await redeem({ citizen, scan: scanned, programId: bornepakke, amountOre: 149_000n });
    expect(most.statusCode, most.body).toBe(200);
    expect(most.json().voucher).toMatchObject({ remainingOre: '1000', maxAmountNowOre: '1000' });
    const tooMuch = await redeem({ citizen, scan: scanned, programId: bornepakke, amountOre: 1_001n });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().error).toMatchObject({
      code: 'CREDIT_INSUFFICIENT',
      details: { remainingOre: '1000' },
    });
    expect(await rowsOf(citizen)).toHaveLength(1);
  });

  it('refuses a voucher at a provider of the wrong category', async () => {
    const citizen = await world.citizen([FRITIDSPAS]);
    const cultureTill = await world.terminal('demo.culture');
    const cultureId = await world.providerId('demo.culture');
    const scanned = await scanId(citizen.staticPass, cultureToken);
    const response = await redeem({
      citizen,
      scan: scanned,
      programId: fritidspas,
      amountOre: 5_000n,
      terminal: cultureTill,
      providerId: cultureId,
      token: cultureToken,
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('CATEGORY_NOT_ALLOWED');
    expect(await rowsOf(citizen)).toHaveLength(0);
  });

  it('refuses a revoked, forged or unreadable printed pass, also when revoked after the scan', async () => {
    const citizen = await world.citizen([FRITIDSPAS]);
    const scanned = await scanId(citizen.staticPass);
    const [prefix, payload, signature] = citizen.staticPass.split('.') as [string, string, string];
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    const forged = await scan(`${prefix}.${payload}.${flipped}`);
    expect(forged.json().error.code).toBe('PASS_FORGED');
    expect((await scan('hello')).json().error.code).toBe('PASS_MALFORMED');

    await world.deps.db
      .update(passes)
      .set({ status: 'revoked', revokedAt: new Date() })
      .where(eq(passes.accountId, Buffer.from(hexToBytes(citizen.accountId))));
    const revoked = await scan(citizen.staticPass);
    expect(revoked.statusCode).toBe(410);
    expect(revoked.json().error.code).toBe('PASS_REVOKED');
    const late = await redeem({ citizen, scan: scanned, programId: fritidspas, amountOre: 5_000n });
    expect(late.json().error.code).toBe('PASS_REVOKED');
    expect(await rowsOf(citizen)).toHaveLength(0);
  });

  it('refuses a rotating QR that is too old or shown twice', async () => {
    const citizen = await world.citizen([FRITIDSPAS]);
    const old = await scan(citizen.rotatingPass(61_000));
    expect(old.statusCode).toBe(401);
    expect(old.json().error.code).toBe('PRESENTATION_EXPIRED');
    const fresh = citizen.rotatingPass();
    expect((await scan(fresh)).statusCode).toBe(200);
    const again = await scan(fresh);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('PRESENTATION_REPLAYED');
  });

  it('refuses an expired scan, a deadline in the past and a signature by another key', async () => {
    const citizen = await world.citizen([FRITIDSPAS]);
    const scanned = await scanId(citizen.staticPass);
    const stranger = (await import('viem/accounts')).privateKeyToAccount(
      (await import('viem/accounts')).generatePrivateKey(),
    );
    const forged = await redeem({
      citizen,
      scan: scanned,
      programId: fritidspas,
      amountOre: 5_000n,
      signer: stranger,
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('REDEMPTION_SIGNATURE_INVALID');
    const late = await redeem({
      citizen,
      scan: scanned,
      programId: fritidspas,
      amountOre: 5_000n,
      deadline: Math.floor(Date.now() / 1000) - 1,
    });
    expect(late.json().error.code).toBe('REDEMPTION_DEADLINE_PASSED');
    // A deadline more than two hours ahead would be refused by the hub: refused here first.
    const far = await redeem({
      citizen,
      scan: scanned,
      programId: fritidspas,
      amountOre: 5_000n,
      deadline: Math.floor(Date.now() / 1000) + 3 * 3600,
    });
    expect(far.statusCode).toBe(400);
    expect(far.json().error.code).toBe('REDEMPTION_DEADLINE_TOO_FAR');
    world.clock.now = new Date(Date.now() + 11 * 60_000);
    try {
      const expired = await redeem({
        citizen,
        scan: scanned,
        programId: fritidspas,
        amountOre: 5_000n,
        deadline: Math.floor(Date.now() / 1000) + 3600,
      });
      expect(expired.statusCode).toBe(410);
      expect(expired.json().error.code).toBe('SCAN_EXPIRED');
    } finally {
      world.clock.now = undefined;
    }
    expect(await rowsOf(citizen)).toHaveLength(0);
  });

  it('refuses a program that has ended', async () => {
    const citizen = await world.citizen([FRITIDSPAS]);
    world.clock.now = new Date(Date.UTC(2028, 0, 2));
    try {
      const scanned = await scan(citizen.staticPass);
      const voucher = scanned.json().vouchers[0];
      expect(voucher).toMatchObject({
        redeemable: false,
        reason: { code: 'PROGRAM_NOT_ACTIVE', details: { reason: 'ended' } },
      });
      const deadline = Math.floor(world.clock.now.getTime() / 1000) + 600;
      const response = await redeem({
        citizen,
        scan: scanned.json().scanId,
        programId: fritidspas,
        amountOre: 5_000n,
        deadline,
      });
      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('PROGRAM_NOT_ACTIVE');
    } finally {
      world.clock.now = undefined;
    }
  });

  it('refuses a revoked terminal and a suspended provider', async () => {
    const citizen = await world.citizen([FRITIDSPAS]);
    const spare = await world.terminal('demo.sport');
    const scanned = await scanId(citizen.staticPass);
    await world.deps.db
      .update(terminals)
      .set({ status: 'revoked', revokedAt: new Date() })
      .where(eq(terminals.address, spare.address.toLowerCase()));
    const revoked = await redeem({
      citizen,
      scan: scanned,
      programId: fritidspas,
      amountOre: 5_000n,
      terminal: spare,
    });
    expect(revoked.statusCode).toBe(403);
    expect(revoked.json().error.code).toBe('TERMINAL_REVOKED');

    const booksToken = await world.staffToken('demo.books');
    await suspendProvider(world.deps, await world.providerId('demo.books'));
    const suspended = await scan(citizen.staticPass, booksToken);
    expect(suspended.statusCode).toBe(403);
    expect(suspended.json().error.code).toBe('PROVIDER_SUSPENDED');
    expect(await rowsOf(citizen)).toHaveLength(0);
  });

  it('lets exactly the allowed number of uses through when two terminals race for the same pass', async () => {
    const citizen = await world.citizen([FRITIDSPAS]);
    const second = await world.terminal('demo.children');
    const childrenId = await world.providerId('demo.children');
    const childrenToken = await world.staffToken('demo.children');
    const sportScan = await scanId(citizen.staticPass);
    const childrenScan = await scanId(citizen.staticPass, childrenToken);
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        i % 2 === 0
          ? redeem({ citizen, scan: sportScan, programId: fritidspas, amountOre: 7_000n })
          : redeem({
              citizen,
              scan: childrenScan,
              programId: fritidspas,
              amountOre: 7_000n,
              terminal: second,
              providerId: childrenId,
              token: childrenToken,
            }),
      ),
    );
    const codes = attempts.map((response) => response.statusCode).sort();
    expect(codes.filter((code) => code === 200)).toHaveLength(2);
    expect(codes.filter((code) => code === 409)).toHaveLength(4);
    const rows = await rowsOf(citizen);
    expect(rows.filter((row) => row.status === 'confirmed')).toHaveLength(2);
    const onChain = await grantOnChain(citizen, fritidspas);
    expect(onChain).toMatchObject({ remaining: 22n, usedInWindow: 2 });
  });

  it('shows a provider only its own scans and redemptions', async () => {
    const citizen = await world.citizen([FRITIDSPAS]);
    const scanned = await scanId(citizen.staticPass);
    const done = await redeem({ citizen, scan: scanned, programId: fritidspas, amountOre: 3_000n });
    expect(done.statusCode).toBe(200);
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(new Date());
    const own = await world.app.inject({
      method: 'GET',
      url: `/providers/${sportId}/redemptions?date=${today}`,
      headers: auth(sportToken),
    });
    expect(own.statusCode).toBe(200);
    expect(own.json().map((row: { redemptionId: string }) => row.redemptionId)).toContain(
      done.json().redemptionId,
    );
    const other = await world.app.inject({
      method: 'GET',
      url: `/providers/${sportId}/redemptions?date=${today}`,
      headers: auth(cultureToken),
    });
    expect(other.statusCode).toBe(404);
    const status = await world.app.inject({
      method: 'GET',
      url: done.json().statusUrl,
      headers: auth(cultureToken),
    });
    expect(status.statusCode).toBe(404);
    const cultureTill = await world.terminal('demo.culture');
    const cultureId = await world.providerId('demo.culture');
    const borrowed = await redeem({
      citizen,
      scan: scanned,
      programId: fritidspas,
      amountOre: 3_000n,
      terminal: cultureTill,
      providerId: cultureId,
      token: cultureToken,
    });
    expect(borrowed.json().error.code).toBe('SCAN_NOT_FOUND');
    const foreignTill = await redeem({
      citizen,
      scan: scanned,
      programId: fritidspas,
      amountOre: 3_000n,
      terminal: cultureTill,
    });
    expect(foreignTill.json().error.code).toBe('TERMINAL_UNKNOWN');
    for (const text of PERSONAL) expect(own.body).not.toContain(text);
  });

  it("answers another provider's staff the same for a used and an unused id of a terminal not theirs", async () => {
    const citizen = await world.citizen([FRITIDSPAS]);
    const done = await redeem({
      citizen,
      scan: await scanId(citizen.staticPass),
      programId: fritidspas,
      amountOre: 2_000n,
    });
    expect(done.statusCode, done.body).toBe(200);
    const cultureScan = await scanId(citizen.staticPass, cultureToken);
    const cultureId = await world.providerId('demo.culture');
    // Culture's staff name the sport club's till with an id it used and with one it never used.
    const probe = (id: bigint) =>
      redeem({
        citizen,
        scan: cultureScan,
        programId: fritidspas,
        amountOre: 2_000n,
        terminal: till,
        providerId: cultureId,
        token: cultureToken,
        id,
      });
    const used = await probe(BigInt(done.json().redemptionId));
    const unused = await probe(10_000_000n + nextId++);
    expect(used.statusCode).toBe(403);
    expect(used.statusCode).toBe(unused.statusCode);
    expect(used.json()).toEqual(unused.json());
    expect(used.json().error.code).toBe('TERMINAL_UNKNOWN');
  });

  it('answers 202 with a status URL when the chain is slower than the configured wait', async () => {
    const citizen = await world.citizen([FRITIDSPAS]);
    const impatient = await buildApp({
      config: testConfig({
        PASS_SIGNING_KEY: world.deps.config.passSigningKey,

        MASTER_KEY: world.fixture.config.masterKey.toString('hex'),
        REDEMPTION_WAIT_MS: '0',
      }),
      db: world.deps.db,
      chain: world.gateway,
    });
    try {
      const token = impatient.jwt.sign({
        sub: 'x',
        role: 'provider_staff',
        municipalityId: 101,
        providerId: sportId,
      });
      const scanned = await impatient.inject({
        method: 'POST',
        url: '/scans',
        headers: auth(token),
        payload: { pass: citizen.staticPass },
      });
      expect(scanned.statusCode, scanned.body).toBe(200);
      const payload = await redeemBody({
        citizen,
        scan: scanned.json().scanId,
        programId: fritidspas,
        amountOre: 2_000n,
      });
      const response = await impatient.inject({
        method: 'POST',
        url: '/redemptions',
        headers: auth(token),
        payload,
      });
      expect(response.statusCode, response.body).toBe(202);
      expect(response.json()).toMatchObject({
        status: 'pending',
        statusUrl: `/redemptions/status/${till.address.toLowerCase()}/${payload.redemptionId}`,
      });
      await world.settle();
      const later = await impatient.inject({
        method: 'GET',
        url: response.json().statusUrl,
        headers: auth(token),
      });
      expect(later.statusCode).toBe(200);
      expect(later.json()).toMatchObject({ status: 'confirmed', voucher: { remainingUses: 23 } });
    } finally {
      await impatient.close();
    }
  });

  it('gives the citizen balances, rules and history from the read model', async () => {
    const citizen = await world.citizen([FRITIDSPAS, BORNEPAKKE]);
    const scanned = await scanId(citizen.staticPass);
    expect(
      (await redeem({ citizen, scan: scanned, programId: bornepakke, amountOre: 20_000n })).statusCode,
    ).toBe(200);
    const vouchers = await world.app.inject({
      method: 'GET',
      url: '/me/vouchers',
      headers: auth(citizen.token),
    });
    expect(vouchers.statusCode).toBe(200);
    const byName = Object.fromEntries(
      vouchers.json().vouchers.map((v: { programName: string }) => [v.programName, v]),
    );
    expect(byName[BORNEPAKKE]).toMatchObject({ remainingOre: '130000', redeemable: true });
    expect(byName[FRITIDSPAS]).toMatchObject({ remainingUses: 24, usesPerWindow: 2, windowDays: 30 });
    const history = await world.app.inject({
      method: 'GET',
      url: '/me/history',
      headers: auth(citizen.token),
    });
    expect(history.json().redemptions).toEqual([
      expect.objectContaining({
        providerName: 'Demo Idrætsforening',
        programName: BORNEPAKKE,
        amountOre: '20000',
        status: 'confirmed',
      }),
    ]);
    const asStaff = await world.app.inject({ method: 'GET', url: '/me/vouchers', headers: auth(sportToken) });
    expect(asStaff.statusCode).toBe(403);
    const chainInfo = await world.app.inject({ method: 'GET', url: '/public/chain' });
    expect(chainInfo.json()).toMatchObject({
      chainId: world.gateway.chainId,
      hub: world.gateway.addresses.hub,
    });
    const cursor = await world.app.inject({
      method: 'GET',
      url: `/terminals/${till.address}/redemption-cursor`,
      headers: auth(sportToken),
    });
    expect(BigInt(cursor.json().highestRedemptionId)).toBe(nextId - 1n);
    const rows = await world.deps.db
      .select()
      .from(redemptions)
      .where(and(eq(redemptions.account, citizen.accountId as Hex)));
    expect(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain(
      'Hemmeligsen',
    );
  });
});
