import { voucherHubAbi } from '@voucher/contracts';
import { auditLog, redemptionReversals, settlementPayouts, verifyAuditChain } from '@voucher/db';
import { and, eq, like, sql } from 'drizzle-orm';
import type { PrivateKeyAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { painSchemaAvailable, validateAgainstPainSchema } from '../../bank-file/xsd-validation.ts';
import { formatReports, reconcileAll } from '../../cli/reconcile.ts';
import type { WorldCitizen } from '../../redemptions/test-world.ts';
import { createSettlementWorld, type SettlementWorld } from './test-settlement-world.ts';

const FRITIDSPAS = 'Fritidspas 2027';
const BORNEPAKKE = 'Børnepakke';

type Till = 'sport' | 'clothing' | 'books' | 'children';

/**
 * Settlement with corrections, as finance lives it across four periods of Demo Kommune:
 *   1. a void at the sports club and a whole void at the play centre: the statement, the CSV
 *      and the bank file show the net, and the play centre (claim 0) gets no line;
 *   2. the bookshop refunds a period-1 sale larger than its period-2 claim: no payment, a
 *      receivable finance sees, part of it paid back by bank through the treasury;
 *   3. the rest is set off against the bookshop's period-3 payout, including a refund that
 *      landed after the proposal (the line follows the chain's events), so the bank file
 *      pays the smaller amount; every period settles to paid and reconciles clean;
 *   and reconciliation fails when the database and the chain disagree about a reversal.
 */
describe('settlement with voids, refunds and receivables, through HTTP on anvil', () => {
  let s: SettlementWorld;
  let finance1: string;
  let finance2: string;
  let ids: Record<Till, number>;
  let tills: Record<Till, PrivateKeyAccount>;
  let citizens: [WorldCitizen, WorldCitizen, WorldCitizen];
  const sale: Record<string, { terminal: string; redemptionId: bigint }> = {};

  const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'accept-language': 'en' });
  const get = (url: string, token: string) => s.app.inject({ method: 'GET', url, headers: auth(token) });
  const post = (url: string, token: string, payload?: object) =>
    s.app.inject({ method: 'POST', url, headers: auth(token), ...(payload ? { payload } : {}) });

  async function redeem(name: string, till: Till, citizen: WorldCitizen, program: string, amountOre: bigint) {
    await s.redeem({ citizen, provider: `demo.${till}`, terminal: tills[till], program, amountOre });
    const last = s.redeemed.at(-1);
    if (!last) throw new Error('nothing redeemed');
    sale[name] = { terminal: last.terminal, redemptionId: last.redemptionId };
  }

  function reverse(name: string, till: Till, amountOre: bigint, kind: 'void' | 'refund') {
    const original = sale[name];
    if (!original) throw new Error(`no sale ${name}`);
    return s.reverse({ terminal: tills[till], original, amountOre, kind });
  }

  /** Close, propose (finance1), approve and execute (finance2); returns the paid settlement. */
  async function settle(periodId: number) {
    const closed = await s.signedStep('demo.finance1', '/periods/close/challenge', '/periods/close', {
      periodId,
    });
    expect(closed.response.statusCode, closed.response.body).toBe(200);
    const { response: proposed } = await s.signedStep(
      'demo.finance1',
      '/settlements/challenge',
      '/settlements',
      { periodId },
      (challenge) => ({ totalOre: challenge.totalOre }),
    );
    expect(proposed.statusCode, proposed.body).toBe(201);
    return proposed.json();
  }

  async function approveAndExecute(settlementId: string) {
    const { response: approved } = await s.signedStep(
      'demo.finance2',
      `/settlements/${settlementId}/approve/challenge`,
      `/settlements/${settlementId}/approve`,
    );
    expect(approved.statusCode, approved.body).toBe(200);
    if (approved.json().status === 'paid') return approved.json();
    const executed = await post(`/settlements/${settlementId}/execute`, finance2);
    expect(executed.statusCode, executed.body).toBe(200);
    return executed.json();
  }

  const linesOf = (settlement: { payouts: { providerId: number }[] }) =>
    Object.fromEntries(settlement.payouts.map((p) => [p.providerId, p]));

  /** What the provider was paid on chain in Demo Kommune's periods so far, in transit to its bank. */
  async function balanceOf(providerId: number): Promise<bigint> {
    let total = 0n;
    for (let period = 1; period <= 8; period++) {
      total += await s.world.gateway.publicClient.readContract({
        address: s.world.gateway.addresses.hub,
        abi: voucherHubAbi,
        functionName: 'inTransitOf',
        args: [101, period, providerId],
      });
    }
    return total;
  }

  const transfers = (xml: string) =>
    [
      ...xml.matchAll(
        /<EndToEndId>([^<]+)<\/EndToEndId>\s*<\/PmtId>\s*<Amt>\s*<InstdAmt Ccy="DKK">([^<]+)</g,
      ),
    ].map((m) => [m[1], m[2]]);

  beforeAll(async () => {
    s = await createSettlementWorld({ chunkSize: 2 });
    const { world } = s;
    finance1 = await s.token('demo.finance1');
    finance2 = await s.token('demo.finance2');
    ids = {
      sport: await world.providerId('demo.sport'),
      clothing: await world.providerId('demo.clothing'),
      books: await world.providerId('demo.books'),
      children: await world.providerId('demo.children'),
    };
    tills = {
      sport: await world.terminal('demo.sport'),
      clothing: await world.terminal('demo.clothing'),
      books: await world.terminal('demo.books'),
      children: await world.terminal('demo.children'),
    };
    citizens = [
      await world.citizen([FRITIDSPAS, BORNEPAKKE]),
      await world.citizen([BORNEPAKKE]),
      await world.citizen([BORNEPAKKE]),
    ];
  }, 240_000);
  afterAll(() => s?.close());

  describe('period 1: voids at the counter', () => {
    beforeAll(async () => {
      const [first, second, third] = citizens;
      await redeem('A', 'sport', first, FRITIDSPAS, 15_000n);
      await redeem('B', 'sport', second, BORNEPAKKE, 10_000n);
      await reverse('B', 'sport', 10_000n, 'void');
      await redeem('C', 'clothing', first, BORNEPAKKE, 25_050n);
      await reverse('C', 'clothing', 50n, 'void');
      await redeem('D', 'books', second, BORNEPAKKE, 9_995n);
      await redeem('F', 'children', third, BORNEPAKKE, 4_000n);
      await reverse('F', 'children', 4_000n, 'void');
    }, 120_000);

    it("shows the net on the provider's statement, with the void as a negative entry naming its redemption", async () => {
      const token = await s.token('demo.sport');
      const detail = await get(`/providers/${ids.sport}/statements/1`, token);
      expect(detail.statusCode, detail.body).toBe(200);
      expect(detail.json()).toMatchObject({
        status: 'open',
        redemptionCount: 2,
        grossOre: '25000',
        reversalCount: 1,
        reversedOre: '10000',
        receivableOre: '0',
        netOre: '15000',
        totalOre: '15000',
      });
      expect(detail.json().reversals).toEqual([
        expect.objectContaining({
          kind: 'void',
          originalTerminal: sale.B?.terminal,
          originalRedemptionId: sale.B?.redemptionId.toString(),
          originalPeriodId: 1,
          amountOre: '10000',
          fromClaimOre: '10000',
          receivableOre: '0',
          reversedAt: expect.any(String),
        }),
      ]);
      const all = (await get('/periods/1/statements', finance1)).json();
      const byProvider = Object.fromEntries(all.map((row: { providerId: number }) => [row.providerId, row]));
      expect(byProvider[ids.clothing]).toMatchObject({
        grossOre: '25050',
        reversedOre: '50',
        netOre: '25000',
      });
      expect(byProvider[ids.children]).toMatchObject({ grossOre: '4000', reversedOre: '4000', netOre: '0' });
    });

    it('lists the period’s corrections for finance with totals', async () => {
      const response = await get('/periods/1/corrections', finance1);
      expect(response.statusCode, response.body).toBe(200);
      const report = response.json();
      expect(report.totals).toEqual({ voidedOre: '14050', refundedOre: '0', receivableOre: '0' });
      expect(report.reversals).toHaveLength(3);
      expect(report.reversals[0]).toMatchObject({
        providerId: ids.sport,
        providerName: 'Demo Idrætsforening',
        kind: 'void',
        reason: 'mistyped',
        amountOre: '10000',
        fromClaimOre: '10000',
        receivableOre: '0',
        creditRestored: true,
        originalRedemptionId: sale.B?.redemptionId.toString(),
        originalPeriodId: 1,
      });
      expect((await get('/periods/9/corrections', finance1)).statusCode).toBe(404);
    });

    it('proposes each provider’s net claim; a provider whose claim came to 0 has no line', async () => {
      const settlement = await settle(1);
      expect(settlement).toMatchObject({ totalOre: '49995', providerCount: 3 });
      const lines = linesOf(settlement);
      expect(Object.keys(lines).map(Number).sort()).toEqual([ids.sport, ids.clothing, ids.books].sort());
      expect(lines[ids.sport]).toMatchObject({ claimOre: '15000', offsetOre: '0', amountOre: '15000' });
      expect(lines[ids.clothing]).toMatchObject({ claimOre: '25000', amountOre: '25000' });
      const paid = await approveAndExecute(settlement.id);
      expect(paid).toMatchObject({ status: 'paid', paidOre: '49995', offsetOre: '0', paidProviderCount: 3 });
      expect(await balanceOf(ids.sport)).toBe(15_000n);
      expect(await balanceOf(ids.children)).toBe(0n);
    });

    it('pays the net in the bank file (valid pain.001) and shows redeemed, voided and paid in the CSV', async () => {
      const [settlement] = (await get('/settlements', finance1)).json();
      const file = await get(`/settlements/${settlement.id}/bank-file`, finance1);
      expect(file.statusCode, file.body).toBe(200);
      expect(file.body.match(/<CtrlSum>([^<]+)<\/CtrlSum>/)?.[1]).toBe('499.95');
      expect(transfers(file.body).sort()).toEqual(
        [
          [`VOUCHER-M101-P1-PRV${ids.sport}`, '150.00'],
          [`VOUCHER-M101-P1-PRV${ids.clothing}`, '250.00'],
          [`VOUCHER-M101-P1-PRV${ids.books}`, '99.95'],
        ].sort(),
      );
      if (painSchemaAvailable()) expect((await validateAgainstPainSchema(file.body)).errors).toEqual([]);
      const csv = (await get(`/settlements/${settlement.id}/statement.csv`, finance1)).body
        .trim()
        .split('\n');
      expect(csv[0]).toBe(
        'period,provider_id,provider_name,iban,redemptions,redeemed_ore,voided_ore,refunded_ore,to_receivable_ore,claim_ore,set_off_ore,amount_ore,amount_dkk,end_to_end_id,status,chain_tx',
      );
      const row = (providerId: number) => csv.find((line) => line.startsWith(`1,${providerId},`));
      expect(row(ids.sport)).toMatch(
        /,2,25000,10000,0,0,15000,0,15000,150\.00,VOUCHER-M101-P1-PRV\d+,paid,0x/,
      );
      expect(row(ids.children)).toMatch(/,,1,4000,4000,0,0,0,0,0,0\.00,,no_claim,$/);
      expect(csv.at(-1)).toBe('total,,,,5,64045,14050,0,0,49995,0,49995,499.95,,,');
    });

    it('shows the play centre’s statement as settled with nothing to pay', async () => {
      const statements = (await get(`/providers/${ids.children}/statements`, finance1)).json();
      expect(statements.find((row: { periodId: number }) => row.periodId === 1)).toMatchObject({
        status: 'paid',
        netOre: '0',
        paidOre: '0',
      });
    });
  });

  describe('period 2: a refund beyond the claim becomes a receivable', () => {
    beforeAll(async () => {
      const [, second] = citizens;
      await redeem('E', 'books', second, BORNEPAKKE, 3_000n);
      await reverse('D', 'books', 9_995n, 'refund');
    }, 120_000);

    it('takes what the period-2 claim covers and shows the rest owed, on the statement and the corrections report', async () => {
      const statement = (
        await get(`/providers/${ids.books}/statements/2`, await s.token('demo.books'))
      ).json();
      expect(statement).toMatchObject({
        grossOre: '3000',
        reversedOre: '9995',
        receivableOre: '6995',
        netOre: '0',
      });
      expect(statement.reversals).toEqual([
        expect.objectContaining({
          kind: 'refund',
          originalPeriodId: 1,
          fromClaimOre: '3000',
          receivableOre: '6995',
        }),
      ]);
      const report = (await get('/periods/2/corrections', finance1)).json();
      expect(report.totals).toEqual({ voidedOre: '0', refundedOre: '9995', receivableOre: '6995' });
    });

    it('shows the receivable to finance, read from the chain', async () => {
      const response = await get('/providers/receivables', finance1);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toEqual({
        receivables: [{ providerId: ids.books, providerName: 'Demo Boghandel', owedOre: '6995' }],
      });
    });

    it('lets a treasury officer’s passkey take in what the provider paid back by bank, never more than it owes', async () => {
      const url = `/providers/${ids.books}/receivable/settle`;
      const settleStep = (body: Record<string, unknown>, providerId = ids.books) =>
        s.signedStep(
          'demo.finance1',
          `/providers/${providerId}/receivable/settle/challenge`,
          `/providers/${providerId}/receivable/settle`,
          body,
        );
      const tooMuch = (await settleStep({ amountOre: '7000', requestId: crypto.randomUUID() })).response;
      expect(tooMuch.statusCode).toBe(409);
      expect(tooMuch.json().error).toMatchObject({
        code: 'RECEIVABLE_EXCEEDED',
        details: { owedOre: '6995' },
      });
      const zero = (await settleStep({ amountOre: '0', requestId: crypto.randomUUID() })).response;
      expect(zero.json().error.code).toBe('AMOUNT_INVALID');
      const kroner = await post(`${url}/challenge`, finance1, {
        amountOre: '9.95',
        requestId: crypto.randomUUID(),
      });
      expect(kroner.statusCode).toBe(400);
      const unsigned = await post(url, finance1, { amountOre: '995', requestId: crypto.randomUUID() });
      expect(unsigned.statusCode).toBe(400);
      const owesNothing = await settleStep({ amountOre: '1', requestId: crypto.randomUUID() }, ids.children);
      expect(owesNothing.response.json().error.code).toBe('RECEIVABLE_EXCEEDED');

      const requestId = crypto.randomUUID();
      const { challenge, response: settled } = await settleStep({ amountOre: '990', requestId });
      expect(challenge.json()).toMatchObject({
        providerId: ids.books,
        providerName: 'Demo Boghandel',
        amountOre: '990',
        requestId,
        owedOre: '6995',
      });
      expect(challenge.json().digest).toMatch(/^0x[0-9a-f]{64}$/);
      expect(settled.statusCode, settled.body).toBe(200);
      expect(settled.json()).toEqual({
        providerId: ids.books,
        providerName: 'Demo Boghandel',
        settledOre: '990',
        owedOre: '6005',
        status: 'settled',
      });
      // The same request again: nothing more to sign, and a relayed retry settles nothing more.
      const again = await post(`${url}/challenge`, finance1, { amountOre: '990', requestId });
      expect(again.json().error.code).toBe('RECEIVABLE_ALREADY_SETTLED');
      const requestAgain = await s.signing.post(url, finance1, {
        amountOre: '990',
        requestId,
        deadline: challenge.json().deadline,
        assertion: s.signing.assertion(await s.signing.officer('demo.finance1'), challenge.json().digest),
      });
      expect(requestAgain.json()).toMatchObject({ owedOre: '6005', status: 'settled' });
      const otherAmount = await post(`${url}/challenge`, finance1, { amountOre: '995', requestId });
      expect(otherAmount.json().error.code).toBe('RECEIVABLE_REQUEST_CONFLICT');
      expect((await get('/providers/receivables', finance1)).json().receivables).toEqual([
        expect.objectContaining({ providerId: ids.books, owedOre: '6005' }),
      ]);
      const signedSettlements = await s.world.deps.db
        .select({ id: auditLog.seq })
        .from(auditLog)
        .where(eq(auditLog.action, 'provider.receivable.settle.signed'));
      expect(signedSettlements).toHaveLength(1);
    });

    it('refuses a settlement signed by another officer, over another amount, replayed or expired', async () => {
      const url = `/providers/${ids.books}/receivable/settle`;
      const owed = async () =>
        (await get('/providers/receivables', finance1)).json().receivables[0]?.owedOre as string;
      const before = await owed();
      const officer1 = await s.signing.officer('demo.finance1');
      const officer2 = await s.signing.officer('demo.finance2');
      const challengeFor = async (body: object) => {
        const answer = await post(`${url}/challenge`, finance1, body);
        expect(answer.statusCode, answer.body).toBe(200);
        return answer.json() as { deadline: number; digest: `0x${string}` };
      };

      // finance2's passkey over finance1's challenge, relayed by finance1: not finance1's key.
      const body = { amountOre: '5', requestId: crypto.randomUUID() };
      const named = await challengeFor(body);
      const theirs = await post(url, finance1, {
        ...body,
        deadline: named.deadline,
        assertion: s.signing.assertion(officer2, named.digest),
      });
      expect(theirs.json().error.code).toBe('PASSKEY_NOT_ENROLLED');

      // Signed for 5 øre, relayed as 500: the digest the service recomputes is another one.
      const more = await post(url, finance1, {
        ...body,
        amountOre: '500',
        deadline: named.deadline,
        assertion: s.signing.assertion(officer1, named.digest),
      });
      expect(more.json().error.code).toBe('PASSKEY_ASSERTION_INVALID');

      // A signature over one request replayed under another request id.
      const replayed = await post(url, finance1, {
        ...body,
        requestId: crypto.randomUUID(),
        deadline: named.deadline,
        assertion: s.signing.assertion(officer1, named.digest),
      });
      expect(replayed.json().error.code).toBe('PASSKEY_ASSERTION_INVALID');

      const expired = await post(url, finance1, {
        ...body,
        deadline: Math.floor(Date.now() / 1000) - 1,
        assertion: s.signing.assertion(officer1, named.digest),
      });
      expect(expired.json().error.code).toBe('OFFICER_SIGNATURE_EXPIRED');
      expect(await owed()).toBe(before);

      // The very same assertion twice: the second is a replay of a used counter.
      const fresh = { amountOre: '5', requestId: crypto.randomUUID() };
      const signedOnce = await challengeFor(fresh);
      const assertion = s.signing.assertion(officer1, signedOnce.digest);
      const first = await post(url, finance1, { ...fresh, deadline: signedOnce.deadline, assertion });
      expect(first.statusCode, first.body).toBe(200);
      const sameAgain = await post(url, finance1, {
        ...fresh,
        requestId: crypto.randomUUID(),
        deadline: signedOnce.deadline,
        assertion,
      });
      expect(sameAgain.statusCode).toBe(400);
      expect(BigInt(await owed())).toBe(BigInt(before) - 5n);

      // The relayed signature sent to the hub again, past the service: the hub refuses it.
      const row = await s.world.deps.db.query.chainOutbox.findFirst({
        where: (outbox, { like: matches }) =>
          matches(outbox.idempotencyKey, `receivable-settle:101:${fresh.requestId}:%`),
      });
      const args = row?.args as unknown[];
      await expect(
        s.world.gateway.publicClient.simulateContract({
          address: s.world.gateway.addresses.hub,
          abi: voucherHubAbi,
          functionName: 'settleReceivableSigned',
          args: [
            101,
            ids.books,
            5n,
            args[3] as `0x${string}`,
            {
              ...(args[4] as { signer: `0x${string}`; auth: `0x${string}` }),
              deadline: signedOnce.deadline,
            },
          ],
          account: officer1.address,
        }),
      ).rejects.toThrow(/OfficerSignatureUsed|ReceivableRequestUsed/);
    });

    it('settles a period whose only claim was refunded away without a payment line or a bank file', async () => {
      const settlement = await settle(2);
      expect(settlement).toMatchObject({ totalOre: '0', providerCount: 0, payouts: [] });
      expect(await approveAndExecute(settlement.id)).toMatchObject({ status: 'paid' });
      const file = await get(`/settlements/${settlement.id}/bank-file`, finance1);
      expect(file.json().error.code).toBe('SETTLEMENT_NOTHING_TO_PAY');
      const csv = (await get(`/settlements/${settlement.id}/statement.csv`, finance1)).body;
      expect(csv).toMatch(
        new RegExp(`\\n2,${ids.books},Demo Boghandel,,1,3000,0,9995,6995,0,0,0,0\\.00,,no_claim,`),
      );
    });
  });

  describe('period 3: the receivable is set off against the next payout', () => {
    let settlementId: string;

    beforeAll(async () => {
      const [first, , third] = citizens;
      await redeem('G', 'books', third, BORNEPAKKE, 8_000n);
      await redeem('H', 'sport', first, FRITIDSPAS, 12_000n);
    }, 120_000);

    it('freezes the set-off known at proposal', async () => {
      const settlement = await settle(3);
      settlementId = settlement.id;
      expect(settlement).toMatchObject({ totalOre: '20000', providerCount: 2 });
      expect(linesOf(settlement)[ids.books]).toMatchObject({
        claimOre: '8000',
        offsetOre: '6000',
        amountOre: '2000',
      });
    });

    it('follows the chain when a refund between proposal and payout raised the receivable', async () => {
      // Lands in the open period 4, where the bookshop has no claim: all of it is owed.
      const refund = await reverse('G', 'books', 500n, 'refund');
      expect(refund).toMatchObject({ periodId: 4n, fromClaimOre: 0n });
      expect((await get('/providers/receivables', finance1)).json().receivables).toEqual([
        expect.objectContaining({ providerId: ids.books, owedOre: '6500' }),
      ]);
      const before = await balanceOf(ids.books);
      const paid = await approveAndExecute(settlementId);
      expect(paid).toMatchObject({ status: 'paid', paidOre: '13500', offsetOre: '6500' });
      expect(linesOf(paid)[ids.books]).toMatchObject({
        claimOre: '8000',
        offsetOre: '6500',
        amountOre: '1500',
        status: 'paid',
      });
      expect((await balanceOf(ids.books)) - before).toBe(1_500n);
      expect((await get('/providers/receivables', finance1)).json()).toEqual({ receivables: [] });
      const periods = (await get('/periods', finance1)).json();
      expect(periods.find((p: { periodId: number }) => p.periodId === 3)).toMatchObject({
        status: 'paid',
        accruedOre: '20000',
        paidOre: '20000',
      });
    });

    it('pays the smaller amount in the bank file and names the set-off', async () => {
      const file = await get(`/settlements/${settlementId}/bank-file`, finance1);
      expect(file.statusCode, file.body).toBe(200);
      expect(transfers(file.body).sort()).toEqual(
        [
          [`VOUCHER-M101-P3-PRV${ids.books}`, '15.00'],
          [`VOUCHER-M101-P3-PRV${ids.sport}`, '120.00'],
        ].sort(),
      );
      expect(file.body.match(/<CtrlSum>([^<]+)<\/CtrlSum>/)?.[1]).toBe('135.00');
      expect(file.body).toContain('claim DKK 80.00 less DKK 65.00 set off against refunds owed');
      if (painSchemaAvailable()) expect((await validateAgainstPainSchema(file.body)).errors).toEqual([]);
      const statement = (
        await get(`/providers/${ids.books}/statements/3`, await s.token('demo.books'))
      ).json();
      expect(statement).toMatchObject({ status: 'paid', netOre: '8000', offsetOre: '6500', paidOre: '1500' });
    });

    it('reconciles every period clean, with reversals, set-offs and receivables', async () => {
      const reports = await reconcileAll(s.world.deps.db, s.world.gateway);
      expect(reports.filter((r) => r.municipalityId === 101).map((r) => [r.periodId, r.differences])).toEqual(
        [
          [1, []],
          [2, []],
          [3, []],
          [4, []],
        ],
      );
      const printed = formatReports(reports);
      expect(printed).toContain(
        'municipality 101 period 1 (closed): chain 5 redemptions 64045 øre, 3 voids/refunds 14050 øre, net 49995 øre; ' +
          'database 5 redemptions, 3 voids/refunds, net 49995 øre; paid and set off 49995 øre: OK',
      );
      expect(printed.split('\n').at(-1)).toBe('reconcile: database and chain agree');
      const third = reports.find((r) => r.municipalityId === 101 && r.periodId === 3);
      expect(third?.chain).toMatchObject({ totalOre: '20000', paidOre: '20000', offsetOre: '6500' });
      expect(third?.receivables).toEqual([
        { providerId: ids.books, chainOre: '0', eventsOre: '0', databaseOre: '0' },
      ]);
    });

    it('publishes spending net of what was given back, against the period each redemption was in', async () => {
      const spending = (
        await s.app.inject({ method: 'GET', url: '/public/spending?municipality=101' })
      ).json();
      // Redeemed 87,045 øre in all; 24,545 given back (voids 14,050, refunds 10,495).
      expect(spending.totalOre).toBe('62500');
      expect(spending.byPeriod).toEqual([
        { key: '1', redemptions: 5, amountOre: '40000' },
        { key: '2', redemptions: 1, amountOre: '3000' },
        { key: '3', redemptions: 2, amountOre: '19500' },
      ]);
      const periods = (await get('/periods', finance1)).json();
      expect(periods.find((p: { periodId: number }) => p.periodId === 1)).toMatchObject({
        redemptionCount: 5,
        providerCount: 3,
      });
    });

    it('audits the corrections’ money steps in the intact hash chain', async () => {
      const rows = await s.world.deps.db.select().from(auditLog).where(like(auditLog.action, '%receivable%'));
      expect(rows.map((row) => row.action)).toEqual([
        'provider.receivable.settle.signed',
        'provider.receivable.settle.signed',
      ]);
      expect(rows.map((row) => (row.details as { step?: string }).step)).toEqual([
        'receivable',
        'receivable',
      ]);
      const followed = await s.world.deps.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, 'settlement.payout.followed_chain'));
      expect(followed.map((row) => row.details)).toEqual([
        expect.objectContaining({ providerId: ids.books, proposedOffsetOre: '6000', offsetOre: '6500' }),
      ]);
      expect(await verifyAuditChain(s.world.deps.db)).toMatchObject({ ok: true });
    });
  });

  describe('period 4: a claim wholly set off', () => {
    beforeAll(async () => {
      const [, , third] = citizens;
      // The refund lands first, while the bookshop has no claim in period 4: all of it is owed.
      await reverse('G', 'books', 2_000n, 'refund');
      await redeem('I', 'books', third, BORNEPAKKE, 700n);
    }, 120_000);

    it('keeps the whole claim against the receivable: the line is paid with no transfer and no bank payment', async () => {
      const settlement = await settle(4);
      expect(settlement).toMatchObject({ totalOre: '700', providerCount: 1 });
      expect(linesOf(settlement)[ids.books]).toMatchObject({
        claimOre: '700',
        offsetOre: '700',
        amountOre: '0',
      });
      const before = await balanceOf(ids.books);
      const paid = await approveAndExecute(settlement.id);
      expect(paid).toMatchObject({ status: 'paid', paidOre: '0', offsetOre: '700', paidProviderCount: 1 });
      expect(await balanceOf(ids.books)).toBe(before);
      const file = await get(`/settlements/${settlement.id}/bank-file`, finance1);
      expect(file.json().error.code).toBe('SETTLEMENT_NOTHING_TO_PAY');
      const csv = (await get(`/settlements/${settlement.id}/statement.csv`, finance1)).body;
      expect(csv).toMatch(
        new RegExp(`\\n4,${ids.books},Demo Boghandel,DK\\d+,1,700,0,2500,2500,700,700,0,0\\.00,,paid,0x`),
      );
      expect((await get('/providers/receivables', finance1)).json().receivables).toEqual([
        expect.objectContaining({ providerId: ids.books, owedOre: '1300' }),
      ]);
      const periods = (await get('/periods', finance1)).json();
      expect(periods.find((p: { periodId: number }) => p.periodId === 4)).toMatchObject({
        status: 'paid',
        paidOre: '700',
      });
      const reports = await reconcileAll(s.world.deps.db, s.world.gateway);
      expect(reports.filter((r) => r.municipalityId === 101 && !r.clean)).toEqual([]);
    });
  });

  describe('reconciliation fails when the database and the chain disagree', () => {
    const report = async (periodId: number) =>
      (await get(`/periods/${periodId}/reconciliation`, finance1)).json();

    it('names a reversal the database holds with another amount, and the receivable it throws off', async () => {
      const db = s.world.deps.db;
      const refundOfD = and(
        eq(redemptionReversals.originalRedemptionId, sale.D?.redemptionId ?? -1n),
        eq(redemptionReversals.kind, 'refund'),
      );
      await db
        .update(redemptionReversals)
        .set({ amountOre: sql`${redemptionReversals.amountOre} + 1` })
        .where(refundOfD);
      try {
        const broken = await report(2);
        expect(broken.clean).toBe(false);
        expect(broken.differences).toEqual([
          expect.objectContaining({ kind: 'reversal_differs', providerId: ids.books, periodId: 2 }),
          expect.objectContaining({
            kind: 'receivable_differs',
            providerId: ids.books,
            database: '1301',
            chain: '1300',
          }),
        ]);
      } finally {
        await db
          .update(redemptionReversals)
          .set({ amountOre: sql`${redemptionReversals.amountOre} - 1` })
          .where(refundOfD);
      }
      expect((await report(2)).clean).toBe(true);
    });

    it('names a void the chain has but the database still holds as pending', async () => {
      const db = s.world.deps.db;
      const voidOfB = eq(redemptionReversals.originalRedemptionId, sale.B?.redemptionId ?? -1n);
      const [row] = await db.select().from(redemptionReversals).where(voidOfB);
      await db
        .update(redemptionReversals)
        .set({ status: 'pending', periodId: null, fromClaimOre: null, creditRestored: null, txHash: null })
        .where(voidOfB);
      try {
        const broken = await report(1);
        expect(broken.differences).toEqual([
          expect.objectContaining({
            kind: 'reversal_unconfirmed_in_database',
            database: 'pending',
            providerId: ids.sport,
          }),
        ]);
      } finally {
        await db
          .update(redemptionReversals)
          .set({
            status: 'confirmed',
            periodId: row?.periodId,
            fromClaimOre: row?.fromClaimOre,
            creditRestored: row?.creditRestored,
            txHash: row?.txHash,
          })
          .where(voidOfB);
      }
      expect((await report(1)).clean).toBe(true);
    });

    it('names a paid line whose set-off differs from the chain’s', async () => {
      const db = s.world.deps.db;
      const line = and(
        eq(settlementPayouts.settlementId, BigInt((await get('/settlements', finance1)).json()[2].id)),
        eq(settlementPayouts.providerId, ids.books),
      );
      await db.update(settlementPayouts).set({ offsetOre: 6_000n, amountOre: 2_000n }).where(line);
      try {
        const kinds = (await report(3)).differences.map((d: { kind: string }) => d.kind);
        expect(kinds).toEqual(['payment_amount_differs', 'receivable_differs']);
      } finally {
        // The next read of the settlement follows the chain's events again.
        await get(`/settlements/${(await get('/settlements', finance1)).json()[2].id}`, finance1);
      }
      expect((await report(3)).clean).toBe(true);
    });
  });
});
