import { REVERSAL_TYPES, redemptionDomain, voucherHubAbi } from '@voucher/contracts';
import { auditLog, chainOutbox, redemptionReversals, redemptions, terminals } from '@voucher/db';
import { and, eq, like } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { createWalletClient, type Hex, http } from 'viem';
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/app.ts';
import { buildApp } from '../../app.ts';
import type { ChainGateway } from '../../chain/gateway.ts';
import { periodSubject } from '../../officer-signing/officer-signing.ts';
import { signRedemption, type WorldCitizen } from '../../redemptions/test-world.ts';
import { createSettlementWorld, type SettlementWorld } from '../settlements/test-settlement-world.ts';

const FRITIDSPAS = 'Fritidspas 2027';
const BORNEPAKKE = 'Børnepakke';
const MUNICIPALITY = 101;
const PERSONAL = ['Hemmeligsen', 'Skjultvej', 'hemmelig@example.invalid', '0185-', 'Testperson'];

/** A line of the scanner's day list (GET /providers/:id/redemptions). */
interface DayLine {
  redemptionId: string;
  terminal: string;
  amountOre: string;
  status: string;
  periodId: string | null;
  reversedOre: string;
  reversibleOre: string;
  voidable: boolean;
  signed: {
    id: string;
    account: Hex;
    program: string;
    provider: number;
    amountOre: string;
    deadline: number;
  };
}

interface ReverseArgs {
  kind: 'void' | 'refund';
  amountOre: bigint;
  period: number;
  reason?: string;
  /** The terminal named as signer; `signer` signs (a stranger's key for a forgery). */
  terminal?: PrivateKeyAccount;
  signer?: PrivateKeyAccount;
  id?: bigint;
  deadline?: number;
  token?: string;
  app?: FastifyInstance;
}

describe('void and refund at the counter, through HTTP on anvil', () => {
  let s: SettlementWorld;
  let sportToken: string;
  let cultureToken: string;
  let sportId: number;
  let till: PrivateKeyAccount;
  let cultureTill: PrivateKeyAccount;
  let fritidspas: bigint;
  let bornepakke: bigint;
  /** The sport till's one counter: redemptions and reversals take their ids from it. */
  let nextId = 1n;
  /** Every answer of these routes, checked for personal data at the end. */
  const bodies: string[] = [];

  beforeAll(async () => {
    s = await createSettlementWorld();
    sportToken = await s.world.staffToken('demo.sport');
    cultureToken = await s.world.staffToken('demo.culture');
    sportId = await s.world.providerId('demo.sport');
    fritidspas = await s.world.programId(FRITIDSPAS);
    bornepakke = await s.world.programId(BORNEPAKKE);
    till = await s.world.terminal('demo.sport');
    cultureTill = await s.world.terminal('demo.culture');
  }, 240_000);
  afterAll(() => s?.close());

  const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'accept-language': 'en' });
  const chainOf = (gateway: ChainGateway) => ({ chainId: gateway.chainId, hub: gateway.addresses.hub });
  const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(new Date());
  const inTenMinutes = () => Math.floor(Date.now() / 1000) + 600;

  async function get(url: string, token: string) {
    const response = await s.world.app.inject({ method: 'GET', url, headers: auth(token) });
    bodies.push(response.body);
    return response;
  }

  function read<T>(functionName: string, args: readonly unknown[]): Promise<T> {
    return s.world.gateway.publicClient.readContract({
      address: s.world.gateway.addresses.hub,
      abi: voucherHubAbi,
      functionName,
      args,
    } as never) as Promise<T>;
  }
  const grantOf = (citizen: WorldCitizen, program: bigint) =>
    read<{ remaining: bigint; usedInWindow: number }>('grantOf', [citizen.accountId, program]);
  const claimOf = async (period: number) =>
    (await read<{ accruedOre: bigint }>('claimOf', [MUNICIPALITY, period, sportId])).accruedOre;
  const openPeriod = async () =>
    Number((await read<readonly [number, bigint, bigint]>('openPeriod', [MUNICIPALITY]))[0]);
  const reversedOf = (line: DayLine) =>
    read<bigint>('reversedOf', [line.terminal, BigInt(line.redemptionId)]);

  /** Redeems at the sport club's till and returns the day list's line for it. */
  async function redeem(citizen: WorldCitizen, program: bigint, amountOre: bigint): Promise<DayLine> {
    const scan = await s.world.app.inject({
      method: 'POST',
      url: '/scans',
      headers: auth(sportToken),
      payload: { pass: citizen.staticPass },
    });
    expect(scan.statusCode, scan.body).toBe(200);
    const id = nextId++;
    const deadline = inTenMinutes();
    const signature = await signRedemption(till, chainOf(s.world.gateway), {
      id,
      account: citizen.accountId,
      program,
      provider: sportId,
      amountOre,
      deadline,
    });
    const response = await s.world.app.inject({
      method: 'POST',
      url: '/redemptions',
      headers: auth(sportToken),
      payload: {
        scanId: scan.json().scanId,
        terminal: till.address,
        redemptionId: id.toString(),
        programId: program.toString(),
        amountOre: amountOre.toString(),
        deadline,
        signature,
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    return dayLine(id);
  }

  async function dayLine(id: bigint): Promise<DayLine> {
    const list = await get(`/providers/${sportId}/redemptions?date=${today()}`, sportToken);
    expect(list.statusCode, list.body).toBe(200);
    const line = list
      .json()
      .find(
        (row: DayLine) => row.terminal === till.address.toLowerCase() && row.redemptionId === id.toString(),
      );
    expect(line, `redemption ${id} in the day list`).toBeDefined();
    return line;
  }

  /** What the scanner sends: the reversal signed over the line's `signed` message. */
  async function reversalBody(line: DayLine, args: ReverseArgs) {
    const terminal = args.terminal ?? till;
    const id = args.id ?? nextId++;
    const deadline = args.deadline ?? inTenMinutes();
    const signature = await (args.signer ?? terminal).signTypedData({
      domain: redemptionDomain(s.world.gateway.chainId, s.world.gateway.addresses.hub),
      types: REVERSAL_TYPES,
      primaryType: 'Reversal',
      message: {
        id,
        redemption: {
          id: BigInt(line.signed.id),
          account: line.signed.account,
          program: BigInt(line.signed.program),
          provider: line.signed.provider,
          amountOre: BigInt(line.signed.amountOre),
          deadline: line.signed.deadline,
        },
        amountOre: args.amountOre,
        period: args.period,
        deadline,
      },
    });
    return {
      terminal: terminal.address,
      reversalId: id.toString(),
      kind: args.kind,
      reason: args.reason ?? (args.kind === 'void' ? 'mistyped' : 'returned'),
      amountOre: args.amountOre.toString(),
      period: args.period,
      deadline,
      signature,
    };
  }

  async function post(line: DayLine, payload: object, token = sportToken, app = s.world.app) {
    const response = await app.inject({
      method: 'POST',
      url: `/redemptions/${line.terminal}/${line.redemptionId}/reversals`,
      headers: auth(token),
      payload,
    });
    bodies.push(response.body);
    return response;
  }

  async function reverse(line: DayLine, args: ReverseArgs) {
    return post(line, await reversalBody(line, args), args.token, args.app);
  }

  async function storedReversals(line: DayLine) {
    return s.world.deps.db
      .select()
      .from(redemptionReversals)
      .where(
        and(
          eq(redemptionReversals.originalTerminal, line.terminal),
          eq(redemptionReversals.originalRedemptionId, BigInt(line.redemptionId)),
        ),
      );
  }

  async function vouchersOf(citizen: WorldCitizen) {
    const response = await get('/me/vouchers', citizen.token);
    expect(response.statusCode).toBe(200);
    return Object.fromEntries(
      response.json().vouchers.map((voucher: { programName: string }) => [voucher.programName, voucher]),
    );
  }

  it('voids a mistyped 150 kr.: the credit is back on chain and in the app, the claim shrinks, and the right 15 kr. go through', async () => {
    const citizen = await s.world.citizen([BORNEPAKKE]);
    const period = await openPeriod();
    const claimBefore = await claimOf(period);
    const wrong = await redeem(citizen, bornepakke, 15_000n);
    expect(wrong).toMatchObject({
      status: 'confirmed',
      periodId: String(period),
      reversedOre: '0',
      reversibleOre: '15000',
      voidable: true,
      signed: {
        account: citizen.accountId,
        program: bornepakke.toString(),
        provider: sportId,
        amountOre: '15000',
      },
    });
    expect((await grantOf(citizen, bornepakke)).remaining).toBe(135_000n);
    expect(await claimOf(period)).toBe(claimBefore + 15_000n);

    const voided = await reverse(wrong, { kind: 'void', amountOre: 15_000n, period });
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json()).toEqual({
      reversal: expect.objectContaining({
        terminal: till.address.toLowerCase(),
        originalTerminal: wrong.terminal,
        originalRedemptionId: wrong.redemptionId,
        kind: 'void',
        reason: 'mistyped',
        amountOre: '15000',
        status: 'confirmed',
        periodId: String(period),
        fromClaimOre: '15000',
        receivableOre: '0',
        creditRestored: true,
        rejectionCode: null,
        txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      }),
      reversedOre: '15000',
      reversibleOre: '0',
    });
    expect((await grantOf(citizen, bornepakke)).remaining).toBe(150_000n);
    expect(await claimOf(period)).toBe(claimBefore);
    expect(await reversedOf(wrong)).toBe(15_000n);
    expect((await vouchersOf(citizen))[BORNEPAKKE]).toMatchObject({
      remainingOre: '150000',
      redeemable: true,
    });
    expect(await dayLine(BigInt(wrong.redemptionId))).toMatchObject({
      reversedOre: '15000',
      reversibleOre: '0',
      voidable: false,
    });

    const right = await redeem(citizen, bornepakke, 1_500n);
    expect((await grantOf(citizen, bornepakke)).remaining).toBe(148_500n);
    expect(await claimOf(period)).toBe(claimBefore + 1_500n);
    expect((await vouchersOf(citizen))[BORNEPAKKE]).toMatchObject({ remainingOre: '148500' });

    const history = await get('/me/history', citizen.token);
    expect(history.statusCode).toBe(200);
    expect(history.json().redemptions).toEqual([
      expect.objectContaining({
        redemptionId: right.redemptionId,
        amountOre: '1500',
        reversedOre: '0',
        reversals: [],
      }),
      expect.objectContaining({
        redemptionId: wrong.redemptionId,
        amountOre: '15000',
        status: 'confirmed',
        reversedOre: '15000',
        reversals: [
          {
            kind: 'void',
            reason: 'mistyped',
            amountOre: '15000',
            status: 'confirmed',
            creditRestored: true,
            createdAt: expect.any(String),
            confirmedAt: expect.any(String),
          },
        ],
      }),
    ]);
    // The purchase is named by its till and id (to dispute it); a correction never says which
    // till or member of staff made it.
    for (const line of history.json().redemptions) {
      expect(line.terminal).toBe(till.address.toLowerCase());
      for (const reversal of line.reversals) expect(Object.keys(reversal)).not.toContain('terminal');
    }
  });

  it('voids a use of a Uses program: the use and its place in the 30-day window come back', async () => {
    const citizen = await s.world.citizen([FRITIDSPAS]);
    const period = await openPeriod();
    const used = await redeem(citizen, fritidspas, 12_500n);
    expect(await grantOf(citizen, fritidspas)).toMatchObject({ remaining: 23n, usedInWindow: 1 });

    const voided = await reverse(used, { kind: 'void', amountOre: 12_500n, period });
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json().reversal).toMatchObject({ status: 'confirmed', creditRestored: true });
    expect(await grantOf(citizen, fritidspas)).toMatchObject({ remaining: 24n, usedInWindow: 0 });
    expect((await vouchersOf(citizen))[FRITIDSPAS]).toMatchObject({ remainingUses: 24, usesLeftInWindow: 2 });
    // Both uses of the window can be taken again: the counter sees the void as the chain does.
    await redeem(citizen, fritidspas, 15_000n);
    await redeem(citizen, fritidspas, 15_000n);
    expect(await grantOf(citizen, fritidspas)).toMatchObject({ remaining: 22n, usedInWindow: 2 });
  });

  it('applies a retried refund exactly once, one after the other and two at the same moment', async () => {
    const citizen = await s.world.citizen([BORNEPAKKE]);
    const line = await redeem(citizen, bornepakke, 20_000n);
    const payload = await reversalBody(line, { kind: 'refund', amountOre: 5_000n, period: 0 });
    const [first, second] = await Promise.all([post(line, payload), post(line, payload)]);
    expect(first.statusCode, first.body).toBe(200);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().reversal.txHash).toBe(first.json().reversal.txHash);
    const again = await post(line, payload);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(first.json()).toMatchObject({ reversedOre: '5000', reversibleOre: '15000' });

    expect(await reversedOf(line)).toBe(5_000n);
    expect((await grantOf(citizen, bornepakke)).remaining).toBe(135_000n);
    expect(await storedReversals(line)).toHaveLength(1);
    const intents = await s.world.deps.db
      .select()
      .from(chainOutbox)
      .where(eq(chainOutbox.idempotencyKey, `reversal:${till.address.toLowerCase()}:${payload.reversalId}`));
    expect(intents).toHaveLength(1);

    const changed = await reversalBody(line, {
      kind: 'refund',
      amountOre: 4_000n,
      period: 0,
      id: BigInt(payload.reversalId),
    });
    const reused = await post(line, changed);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('REVERSAL_ID_REUSED');
    expect(await reversedOf(line)).toBe(5_000n);

    const listed = await get(`/redemptions/${line.terminal}/${line.redemptionId}/reversals`, sportToken);
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual({
      reversals: [first.json().reversal],
      reversedOre: '5000',
      reversibleOre: '15000',
    });
  });

  it('refuses every bad reversal with a clear code and changes nothing', async () => {
    const citizen = await s.world.citizen([BORNEPAKKE]);
    const period = await openPeriod();
    const line = await redeem(citizen, bornepakke, 10_000n);
    const before = await grantOf(citizen, bornepakke);
    const stranger = privateKeyToAccount(generatePrivateKey());
    const refusals: [ReverseArgs, number, string, object?][] = [
      [
        { kind: 'refund', amountOre: 10_001n, period: 0 },
        409,
        'REVERSAL_EXCEEDS_REDEMPTION',
        { reversibleOre: '10000' },
      ],
      [
        { kind: 'void', amountOre: 5_000n, period },
        422,
        'REVERSAL_VOID_NOT_WHOLE',
        { reversibleOre: '10000' },
      ],
      [
        { kind: 'void', amountOre: 10_000n, period: 0 },
        422,
        'REVERSAL_PERIOD_INVALID',
        { expectedPeriod: period },
      ],
      [{ kind: 'refund', amountOre: 1_000n, period }, 422, 'REVERSAL_PERIOD_INVALID', { expectedPeriod: 0 }],
      [
        { kind: 'refund', amountOre: 1_000n, period: 0, deadline: Math.floor(Date.now() / 1000) - 1 },
        400,
        'REVERSAL_DEADLINE_PASSED',
      ],
      [{ kind: 'refund', amountOre: 1_000n, period: 0, signer: stranger }, 401, 'REVERSAL_SIGNATURE_INVALID'],
      // Another provider's terminal cannot give back this provider's payment.
      [{ kind: 'refund', amountOre: 1_000n, period: 0, terminal: cultureTill }, 403, 'TERMINAL_UNKNOWN'],
      // The id of one of this till's payments: the hub's replay protection is one counter.
      [
        { kind: 'refund', amountOre: 1_000n, period: 0, id: BigInt(line.redemptionId) },
        409,
        'REVERSAL_ID_USED',
      ],
      // Another provider's staff are told the payment does not exist.
      [{ kind: 'refund', amountOre: 1_000n, period: 0, token: '' }, 404, 'NOT_FOUND'],
    ];
    for (const [args, status, code, details] of refusals) {
      const response = await reverse(line, { ...args, token: args.token === '' ? cultureToken : args.token });
      expect(response.statusCode, `${code}: ${response.body}`).toBe(status);
      expect(response.json().error.code).toBe(code);
      if (details) expect(response.json().error.details).toMatchObject(details);
    }
    const missing = await post(
      { ...line, redemptionId: '999999' },
      await reversalBody(line, { kind: 'refund', amountOre: 1n, period: 0 }),
    );
    expect(missing.statusCode).toBe(404);
    const unknownKind = await post(line, {
      ...(await reversalBody(line, { kind: 'refund', amountOre: 1n, period: 0 })),
      kind: 'chargeback',
    });
    expect(unknownKind.statusCode).toBe(400);
    const zero = await post(line, {
      ...(await reversalBody(line, { kind: 'refund', amountOre: 1n, period: 0 })),
      amountOre: '0',
    });
    expect(zero.statusCode).toBe(400);

    const spare = await s.world.terminal('demo.sport');
    await s.world.deps.db
      .update(terminals)
      .set({ status: 'revoked', revokedAt: new Date() })
      .where(eq(terminals.address, spare.address.toLowerCase()));
    const revoked = await reverse(line, {
      kind: 'refund',
      amountOre: 1_000n,
      period: 0,
      terminal: spare,
      id: 1n,
    });
    expect(revoked.json().error.code).toBe('TERMINAL_REVOKED');

    expect(await storedReversals(line)).toEqual([]);
    expect(await reversedOf(line)).toBe(0n);
    expect(await grantOf(citizen, bornepakke)).toEqual(before);
    expect(await dayLine(BigInt(line.redemptionId))).toMatchObject({
      reversibleOre: '10000',
      voidable: true,
    });

    // A refund of part, then more than is left: the answer says how much is left.
    const part = await reverse(line, { kind: 'refund', amountOre: 4_000n, period: 0, reason: 'cancelled' });
    expect(part.statusCode, part.body).toBe(200);
    const tooMuch = await reverse(line, { kind: 'refund', amountOre: 6_001n, period: 0 });
    expect(tooMuch.json().error).toMatchObject({
      code: 'REVERSAL_EXCEEDS_REDEMPTION',
      details: { reversibleOre: '6000' },
    });
    const lateVoid = await reverse(line, { kind: 'void', amountOre: 6_000n, period });
    expect(lateVoid.statusCode, lateVoid.body).toBe(200);
    expect(await reversedOf(line)).toBe(10_000n);
    expect((await grantOf(citizen, bornepakke)).remaining).toBe(150_000n);
    const nothingLeft = await reverse(line, { kind: 'refund', amountOre: 1n, period: 0 });
    expect(nothingLeft.json().error).toMatchObject({
      code: 'REVERSAL_EXCEEDS_REDEMPTION',
      details: { reversibleOre: '0' },
    });
  });

  it('answers 202 while the chain is slower than the wait, and the list records the verdict later', async () => {
    const citizen = await s.world.citizen([BORNEPAKKE]);
    const line = await redeem(citizen, bornepakke, 8_000n);
    const impatient = await buildApp({
      config: testConfig({
        MASTER_KEY: s.world.fixture.config.masterKey.toString('hex'),
        REDEMPTION_WAIT_MS: '0',
      }),
      db: s.world.deps.db,
      chain: s.world.gateway,
    });
    try {
      const token = impatient.jwt.sign(await claimsOfSport());
      const pending = await reverse(line, {
        kind: 'refund',
        amountOre: 3_000n,
        period: 0,
        token,
        app: impatient,
      });
      expect(pending.statusCode, pending.body).toBe(202);
      const url = `/redemptions/${line.terminal}/${line.redemptionId}/reversals`;
      expect(pending.headers.location).toBe(url);
      // A pending refund holds its amount: nothing can take the same øre meanwhile.
      expect(pending.json()).toMatchObject({
        reversal: {
          status: 'pending',
          periodId: null,
          fromClaimOre: null,
          receivableOre: null,
          creditRestored: null,
        },
        reversedOre: '0',
        reversibleOre: '5000',
      });
      await s.world.settle();
      const later = await get(url, sportToken);
      expect(later.json()).toMatchObject({
        reversals: [{ status: 'confirmed', amountOre: '3000', creditRestored: true }],
        reversedOre: '3000',
        reversibleOre: '5000',
      });
      expect((await grantOf(citizen, bornepakke)).remaining).toBe(145_000n);
    } finally {
      await impatient.close();
    }
  });

  it('refuses to give back a payment that is still on its way or was refused, and another municipality’s club', async () => {
    const citizen = await s.world.citizen([BORNEPAKKE]);
    const line = await redeem(citizen, bornepakke, 4_000n);
    const key = and(
      eq(redemptions.terminal, line.terminal),
      eq(redemptions.redemptionId, BigInt(line.redemptionId)),
    );
    const [stored] = await s.world.deps.db.select().from(redemptions).where(key);
    if (!stored) throw new Error('redemption not stored');
    const refund: ReverseArgs = { kind: 'refund', amountOre: 1_000n, period: 0 };
    try {
      // As the rows stand while the chain has not answered yet, and after it refused.
      await s.world.deps.db
        .update(redemptions)
        .set({ status: 'pending', outboxId: null, txHash: null, periodId: null, confirmedAt: null })
        .where(key);
      expect((await reverse(line, refund)).json().error.code).toBe('REVERSAL_ORIGINAL_PENDING');
      await s.world.deps.db
        .update(redemptions)
        .set({ status: 'rejected', rejectionCode: 'CREDIT_INSUFFICIENT' })
        .where(key);
      expect((await reverse(line, refund)).json().error.code).toBe('REVERSAL_ORIGINAL_REJECTED');
    } finally {
      await s.world.deps.db.update(redemptions).set(stored).where(key);
    }
    const naboClub = await reverse(line, { ...refund, token: await s.world.staffToken('nabo.swim') });
    expect(naboClub.statusCode).toBe(404);
    const notTheirDispute = await post(line, {
      ...(await reversalBody(line, { ...refund, reason: 'dispute' })),
      disputeId: crypto.randomUUID(),
    });
    expect(notTheirDispute.json().error.code).toBe('REVERSAL_DISPUTE_MISMATCH');
    expect(await storedReversals(line)).toEqual([]);
    expect((await reverse(line, refund)).statusCode).toBe(200);
  });

  it('lets the municipality follow a payment’s reversals, and nobody else', async () => {
    const citizen = await s.world.citizen([BORNEPAKKE]);
    const line = await redeem(citizen, bornepakke, 3_000n);
    expect((await reverse(line, { kind: 'refund', amountOre: 1_000n, period: 0 })).statusCode).toBe(200);
    const url = `/redemptions/${line.terminal}/${line.redemptionId}/reversals`;
    for (const username of ['demo.finance1', 'demo.caseworker', 'demo.auditor']) {
      const response = await get(url, await s.world.staffToken(username));
      expect(response.statusCode, username).toBe(200);
      expect(response.json()).toMatchObject({ reversedOre: '1000', reversibleOre: '2000' });
    }
    for (const username of ['nabo.finance1', 'nabo.caseworker', 'demo.culture']) {
      expect((await get(url, await s.world.staffToken(username))).statusCode, username).toBe(404);
    }
    expect((await get(url, citizen.token)).statusCode).toBe(403);
    expect((await get(`/redemptions/${line.terminal}/999999/reversals`, sportToken)).statusCode).toBe(404);
  });

  it('keeps a reversal id out of the till’s redemptions, and resumes the till’s counter after it', async () => {
    const citizen = await s.world.citizen([BORNEPAKKE]);
    const line = await redeem(citizen, bornepakke, 2_000n);
    const refund = await reverse(line, { kind: 'refund', amountOre: 500n, period: 0 });
    expect(refund.statusCode).toBe(200);
    const reversalId = BigInt(refund.json().reversal.reversalId);
    const cursor = await get(`/terminals/${till.address}/redemption-cursor`, sportToken);
    expect(BigInt(cursor.json().highestRedemptionId)).toBe(reversalId);

    const scan = await s.world.app.inject({
      method: 'POST',
      url: '/scans',
      headers: auth(sportToken),
      payload: { pass: citizen.staticPass },
    });
    const deadline = inTenMinutes();
    const signature = await signRedemption(till, chainOf(s.world.gateway), {
      id: reversalId,
      account: citizen.accountId,
      program: bornepakke,
      provider: sportId,
      amountOre: 1_000n,
      deadline,
    });
    const clash = await s.world.app.inject({
      method: 'POST',
      url: '/redemptions',
      headers: auth(sportToken),
      payload: {
        scanId: scan.json().scanId,
        terminal: till.address,
        redemptionId: reversalId.toString(),
        programId: bornepakke.toString(),
        amountOre: '1000',
        deadline,
        signature,
      },
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('REDEMPTION_ID_USED_ON_CHAIN');
  });

  it('refuses a void that lands after its period closed, changing nothing; the refund then lands once in the next period', async () => {
    const citizen = await s.world.citizen([BORNEPAKKE]);
    const period = await openPeriod();
    const line = await redeem(citizen, bornepakke, 30_000n);
    const claimBefore = await claimOf(period);
    const grantBefore = await grantOf(citizen, bornepakke);

    // The finance officer closes the period while the void is on its way: after the service
    // checked it (the period was open) and signed its transaction, before the chain got it.
    const finance = await closerOfPeriods();
    let closing: Promise<void> | undefined;
    const racing = await s.world.fixture.gateway({
      afterSigned: async ({ id }) => {
        const [row] = await s.world.deps.db.select().from(chainOutbox).where(eq(chainOutbox.id, id));
        if (row?.kind !== 'redemption.reverse' || closing) return;
        closing = finance.close();
        await closing;
      },
    });
    const racingApp = await buildApp({
      config: testConfig({
        MASTER_KEY: s.world.fixture.config.masterKey.toString('hex'),
        REDEMPTION_WAIT_MS: '10000',
      }),
      db: s.world.deps.db,
      chain: racing,
    });
    try {
      expect(await dayLine(BigInt(line.redemptionId))).toMatchObject({ voidable: true });
      const voided = await reverse(line, {
        kind: 'void',
        amountOre: 30_000n,
        period,
        token: racingApp.jwt.sign(await claimsOfSport()),
        app: racingApp,
      });
      await expect(closing, 'the period was closed in the race').resolves.toBeUndefined();
      expect(voided.statusCode, voided.body).toBe(409);
      expect(voided.json().error.code).toBe('REVERSAL_PERIOD_CLOSED');
      expect(voided.json().error.message).toMatch(/refund instead/);
    } finally {
      await racingApp.close();
    }
    expect(await openPeriod()).toBe(period + 1);
    expect(await grantOf(citizen, bornepakke)).toEqual(grantBefore);
    expect(await claimOf(period)).toBe(claimBefore);
    expect(await reversedOf(line)).toBe(0n);
    expect(await storedReversals(line)).toEqual([
      expect.objectContaining({ kind: 'void', status: 'rejected', rejectionCode: 'REVERSAL_PERIOD_CLOSED' }),
    ]);
    expect(await dayLine(BigInt(line.redemptionId))).toMatchObject({
      voidable: false,
      reversibleOre: '30000',
    });
    // Asked again now, the service itself refuses the void before anything is stored.
    const again = await reverse(line, { kind: 'void', amountOre: 30_000n, period });
    expect(again.json().error).toMatchObject({
      code: 'REVERSAL_PERIOD_CLOSED',
      details: { periodId: period, openPeriodId: period + 1 },
    });
    expect(await storedReversals(line)).toHaveLength(1);

    // The next period: another citizen's 200 kr. give the club a claim there; a refund of
    // 100 kr. of the old payment comes off it (once, though sent twice).
    const next = period + 1;
    await redeem(await s.world.citizen([BORNEPAKKE]), bornepakke, 20_000n);
    expect(await claimOf(next)).toBe(20_000n);
    const refundBody = await reversalBody(line, { kind: 'refund', amountOre: 10_000n, period: 0 });
    const refunded = await post(line, refundBody);
    expect(refunded.statusCode, refunded.body).toBe(200);
    expect(refunded.json().reversal).toMatchObject({
      status: 'confirmed',
      periodId: String(next),
      fromClaimOre: '10000',
      receivableOre: '0',
      creditRestored: true,
    });
    expect((await post(line, refundBody)).json()).toEqual(refunded.json());
    expect(await claimOf(next)).toBe(10_000n);
    expect(await claimOf(period)).toBe(claimBefore);
    expect(await reversedOf(line)).toBe(10_000n);

    // The other 200 kr. are more than the club's claim in the open period: the 100 kr. not
    // covered become what the club owes the municipality.
    const receivableBefore = await read<bigint>('receivableOf', [MUNICIPALITY, sportId]);
    const rest = await reverse(line, { kind: 'refund', amountOre: 20_000n, period: 0 });
    expect(rest.statusCode, rest.body).toBe(200);
    expect(rest.json()).toMatchObject({
      reversal: {
        periodId: String(next),
        fromClaimOre: '10000',
        receivableOre: '10000',
        creditRestored: true,
      },
      reversedOre: '30000',
      reversibleOre: '0',
    });
    expect(await claimOf(next)).toBe(0n);
    expect(await read<bigint>('receivableOf', [MUNICIPALITY, sportId])).toBe(receivableBefore + 10_000n);
    expect((await grantOf(citizen, bornepakke)).remaining).toBe(150_000n);
    expect((await vouchersOf(citizen))[BORNEPAKKE]).toMatchObject({ remainingOre: '150000' });

    const history = (await get('/me/history', citizen.token)).json().redemptions;
    expect(history).toEqual([
      expect.objectContaining({
        amountOre: '30000',
        reversedOre: '30000',
        // The refused void changed nothing, so the citizen does not see it.
        reversals: [
          expect.objectContaining({ kind: 'refund', amountOre: '10000', status: 'confirmed' }),
          expect.objectContaining({ kind: 'refund', amountOre: '20000', status: 'confirmed' }),
        ],
      }),
    ]);
  });

  it('keeps personal data out of every answer, the audit log and the chain intents', async () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const body of bodies) for (const text of PERSONAL) expect(body).not.toContain(text);
    const audit = await s.world.deps.db.select().from(auditLog).where(like(auditLog.action, 'reversal.%'));
    expect(audit.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['reversal.requested', 'reversal.confirmed', 'reversal.rejected']),
    );
    const intents = await s.world.deps.db
      .select()
      .from(chainOutbox)
      .where(eq(chainOutbox.kind, 'redemption.reverse'));
    expect(intents.length).toBeGreaterThan(5);
    const stored = JSON.stringify([...audit, ...intents], (_key, value) =>
      typeof value === 'bigint' ? value.toString() : value,
    );
    for (const text of PERSONAL) expect(stored).not.toContain(text);
    // The audit log names the payment, never the citizen's account.
    const reversals = await s.world.deps.db.select().from(redemptionReversals);
    const auditText = JSON.stringify(audit.map((entry) => entry.details));
    for (const reversal of reversals) expect(auditText).not.toContain(reversal.account.slice(2));
  });

  async function claimsOfSport() {
    const { claimsOfUsername } = await import('../../staff/staff-claims.ts');
    return claimsOfUsername(s.world.deps.db, 'demo.sport');
  }

  /**
   * The finance officer's own passkey signature closing the municipality's open period, sent
   * straight to the hub by another relayer (past the service's outbox).
   */
  async function closerOfPeriods() {
    const officer = await s.signing.officer('demo.finance1');
    const account = privateKeyToAccount(generatePrivateKey());
    const wallet = createWalletClient({ account, transport: http(s.world.fixture.anvil.rpcUrl) });
    // Gas is free on the test chain; any account may relay an officer's signature.
    await s.world.gateway.publicClient.request({
      method: 'anvil_setBalance',
      params: [account.address, '0x3635c9adc5dea00000'],
    } as never);
    const period = await openPeriod();
    const signature = await s.signing.onChainSignature(officer, {
      action: 'CLOSE_PERIOD',
      municipalityId: MUNICIPALITY,
      subject: periodSubject(period),
      amountOre: 0n,
    });
    return {
      async close() {
        const hash = await wallet.writeContract({
          address: s.world.gateway.addresses.hub,
          abi: voucherHubAbi,
          functionName: 'closePeriodSigned',
          args: [
            MUNICIPALITY,
            period,
            { signer: signature.signer, deadline: Number(signature.deadline), auth: signature.auth },
          ],
          chain: null,
        });
        const receipt = await s.world.gateway.publicClient.waitForTransactionReceipt({ hash });
        expect(receipt.status).toBe('success');
      },
    };
  }
});
