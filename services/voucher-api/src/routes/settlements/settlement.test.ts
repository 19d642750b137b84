import { voucherHubAbi } from '@voucher/contracts';
import { auditLog, chainOutbox, redemptions, verifyAuditChain } from '@voucher/db';
import { and, eq, like, sql } from 'drizzle-orm';
import type { PrivateKeyAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { painSchemaAvailable, validateAgainstPainSchema } from '../../bank-file/xsd-validation.ts';
import { enqueue } from '../../chain/test-fixture.ts';
import { reconcileAll } from '../../cli/reconcile.ts';
import { officerActionDigest, periodSubject } from '../../officer-signing/officer-signing.ts';
import type { WorldCitizen } from '../../redemptions/test-world.ts';
import { DEMO_MUNICIPALITY } from '../../seed/demo.ts';
import { createSettlementWorld, DEBTOR, type SettlementWorld } from './test-settlement-world.ts';

const FRITIDSPAS = 'Fritidspas 2027';
const BORNEPAKKE = 'Børnepakke';
const PERSONAL = ['Hemmeligsen', 'Skjultvej', 'hemmelig@example.invalid'];

describe('periods and settlement, through HTTP on anvil', () => {
  let s: SettlementWorld;
  let finance1: string;
  let finance2: string;
  let proposerName = 'demo.finance1';
  let sportToken: string;
  let ids: { sport: number; clothing: number; books: number; culture: number };
  let citizens: WorldCitizen[];
  let settlementId: string;
  const expected = { sport: 15_000n + 10_000n, clothing: 25_050n, books: 9_995n };
  const total = expected.sport + expected.clothing + expected.books;

  const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'accept-language': 'en' });
  const get = (url: string, token?: string) =>
    s.app.inject({ method: 'GET', url, headers: token ? auth(token) : {} });
  const post = (url: string, token: string, payload?: object) =>
    s.app.inject({ method: 'POST', url, headers: auth(token), ...(payload ? { payload } : {}) });
  const close = async (username: string, periodId: number) =>
    (await s.signedStep(username, '/periods/close/challenge', '/periods/close', { periodId })).response;
  const propose = async (username: string, periodId: number, stated?: string) =>
    (
      await s.signedStep(username, '/settlements/challenge', '/settlements', { periodId }, (challenge) => ({
        totalOre: stated ?? challenge.totalOre,
      }))
    ).response;
  const approve = async (username: string, id: string) =>
    (await s.signedStep(username, `/settlements/${id}/approve/challenge`, `/settlements/${id}/approve`))
      .response;
  const hubRead = <T>(functionName: string, args: readonly unknown[] = []) =>
    s.world.gateway.publicClient.readContract({
      address: s.world.gateway.addresses.hub,
      abi: voucherHubAbi,
      functionName,
      args,
    } as never) as Promise<T>;

  beforeAll(async () => {
    s = await createSettlementWorld({ chunkSize: 2 });
    const { world } = s;
    finance1 = await s.token('demo.finance1');
    finance2 = await s.token('demo.finance2');
    sportToken = await s.token('demo.sport');
    ids = {
      sport: await world.providerId('demo.sport'),
      clothing: await world.providerId('demo.clothing'),
      books: await world.providerId('demo.books'),
      culture: await world.providerId('demo.culture'),
    };
    citizens = [await world.citizen([FRITIDSPAS, BORNEPAKKE]), await world.citizen([BORNEPAKKE])];
    const tills: Record<string, PrivateKeyAccount> = {
      sport: await world.terminal('demo.sport'),
      clothing: await world.terminal('demo.clothing'),
      books: await world.terminal('demo.books'),
    };
    const [first, second] = citizens as [WorldCitizen, WorldCitizen];
    await s.redeem({
      citizen: first,
      provider: 'demo.sport',
      terminal: tills.sport as PrivateKeyAccount,
      program: FRITIDSPAS,
      amountOre: 15_000n,
    });
    await s.redeem({
      citizen: second,
      provider: 'demo.sport',
      terminal: tills.sport as PrivateKeyAccount,
      program: BORNEPAKKE,
      amountOre: 10_000n,
    });
    await s.redeem({
      citizen: first,
      provider: 'demo.clothing',
      terminal: tills.clothing as PrivateKeyAccount,
      program: BORNEPAKKE,
      amountOre: 25_050n,
    });
    await s.redeem({
      citizen: second,
      provider: 'demo.books',
      terminal: tills.books as PrivateKeyAccount,
      program: BORNEPAKKE,
      amountOre: 9_995n,
    });
  }, 240_000);
  afterAll(() => s?.close());

  it('shows a provider its open period with every redemption, and nobody else’s statement', async () => {
    const own = await get(`/providers/${ids.sport}/statements`, sportToken);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toEqual([
      expect.objectContaining({
        periodId: 1,
        providerId: ids.sport,
        status: 'open',
        redemptionCount: 2,
        totalOre: '25000',
        paidOre: '0',
      }),
    ]);
    const detail = await get(`/providers/${ids.sport}/statements/1`, sportToken);
    expect(
      detail
        .json()
        .lines.map((line: { amountOre: string }) => line.amountOre)
        .sort(),
    ).toEqual(['10000', '15000']);
    expect((await get(`/providers/${ids.clothing}/statements`, sportToken)).statusCode).toBe(404);
    expect((await get(`/periods/1/statements`, sportToken)).statusCode).toBe(403);
  });

  it('refuses to settle a period that is still open', async () => {
    const response = await post('/settlements/challenge', finance1, { periodId: 1 });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('PERIOD_NOT_CLOSED');
  });

  it('closes only the period the officer names, once, on chain, on the officer’s own passkey', async () => {
    const wrong = await post('/periods/close/challenge', finance1, { periodId: 2 });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().error).toMatchObject({ code: 'PERIOD_NOT_OPEN', details: { openPeriodId: 1 } });
    const officer = await s.signing.officer('demo.finance1');
    const named = (await post('/periods/close/challenge', finance1, { periodId: 1 })).json();
    expect(named).toMatchObject({ periodId: 1 });
    // Another officer cannot pass off this officer's assertion as their own.
    const borrowed = await post('/periods/close', finance2, {
      periodId: 1,
      deadline: named.deadline,
      assertion: s.signing.assertion(officer, named.digest),
    });
    expect(borrowed.json().error.code).toBe('PASSKEY_NOT_ENROLLED');
    // A signature over the challenge does not close another period.
    const moved = await post('/periods/close', finance1, {
      periodId: 2,
      deadline: named.deadline,
      assertion: s.signing.assertion(officer, named.digest),
    });
    expect(moved.json().error.code).toBe('PERIOD_NOT_OPEN');
    // Nor does one whose deadline has passed.
    const expired = await post('/periods/close', finance1, {
      periodId: 1,
      deadline: Math.floor(Date.now() / 1000) - 1,
      assertion: s.signing.assertion(officer, named.digest),
    });
    expect(expired.json().error.code).toBe('OFFICER_SIGNATURE_EXPIRED');
    const body = {
      periodId: 1,
      deadline: named.deadline,
      assertion: s.signing.assertion(officer, named.digest),
    };
    const closed = await post('/periods/close', finance1, body);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', periodId: 1, accruedOre: total.toString() });
    // The same signature again (a double click) closes nothing more.
    const replayed = await post('/periods/close', finance1, body);
    expect(replayed.statusCode).toBe(200);
    const again = await close('demo.finance2', 1);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('PERIOD_NOT_OPEN');
    expect((await hubRead<readonly [number, number, bigint]>('openPeriod', [101]))[0]).toBe(2);
    const periods = (await get('/periods', finance1)).json();
    expect(periods.map((p: { periodId: number; status: string }) => [p.periodId, p.status])).toEqual([
      [2, 'open'],
      [1, 'closed'],
    ]);
    const statements = (await get(`/providers/${ids.sport}/statements`, sportToken)).json();
    expect(statements[0]).toMatchObject({ periodId: 1, status: 'awaiting_settlement' });
  });

  it('blocks the proposal with a reconciliation report when the database disagrees with the chain', async () => {
    const db = s.world.deps.db;
    const bump = (delta: number) =>
      db
        .update(redemptions)
        .set({ amountOre: sql`${redemptions.amountOre} + ${delta}` })
        .where(and(eq(redemptions.providerId, ids.books), eq(redemptions.status, 'confirmed')));
    await bump(1);
    try {
      const response = await post('/settlements/challenge', finance1, { periodId: 1 });
      expect(response.statusCode, response.body).toBe(409);
      const { error } = response.json();
      expect(error.code).toBe('SETTLEMENT_RECONCILIATION_MISMATCH');
      expect(error.details.report.differences).toEqual([
        expect.objectContaining({ kind: 'redemption_differs', providerId: ids.books, periodId: 1 }),
      ]);
      expect((await get('/settlements', finance1)).json()).toEqual([]);
    } finally {
      await bump(-1);
    }
  });

  it('names a redemption the chain accepted but the database still holds as pending', async () => {
    const db = s.world.deps.db;
    const onClothing = and(eq(redemptions.providerId, ids.clothing), eq(redemptions.status, 'confirmed'));
    await db.update(redemptions).set({ status: 'pending' }).where(onClothing);
    try {
      const response = await propose('demo.finance1', 1, total.toString());
      expect(response.statusCode).toBe(409);
      expect(response.json().error.details.report.differences).toEqual([
        expect.objectContaining({
          kind: 'redemption_unconfirmed_in_database',
          providerId: ids.clothing,
          database: 'pending',
          chain: expected.clothing.toString(),
        }),
      ]);
    } finally {
      await db
        .update(redemptions)
        .set({ status: 'confirmed' })
        .where(and(eq(redemptions.providerId, ids.clothing), eq(redemptions.status, 'pending')));
    }
  });

  it('refuses a proposal whose stated total is not the reconciled one', async () => {
    const response = await propose('demo.finance1', 1, (total + 1n).toString());
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('SETTLEMENT_TOTAL_CHANGED');
    expect((await get('/settlements', finance1)).json()).toEqual([]);
  });

  it('lets officer A propose the reconciled total, signed with A’s own passkey, once even when two propose at the same instant', async () => {
    const named = (await post('/settlements/challenge', finance1, { periodId: 1 })).json();
    expect(named).toMatchObject({ periodId: 1, totalOre: total.toString(), providerCount: 3 });
    await s.signing.officer('demo.finance2');
    const both = await Promise.all([propose('demo.finance1', 1), propose('demo.finance2', 1)]);
    const firstWon = both[0].statusCode === 201;
    const [response, loser] = firstWon ? both : [both[1], both[0]];
    expect(response.statusCode, response.body).toBe(201);
    expect(loser.statusCode, loser.body).toBe(409);
    expect(loser.json().error.code).toBe('SETTLEMENT_EXISTS');
    // From here on, finance1 names whoever proposed.
    if (!firstWon) {
      [finance1, finance2] = [finance2, finance1];
      proposerName = 'demo.finance2';
    }
    const settlement = response.json();
    settlementId = settlement.id;
    expect(settlement).toMatchObject({
      status: 'proposed',
      periodId: 1,
      totalOre: total.toString(),
      providerCount: 3,
    });
    expect(
      Object.fromEntries(
        settlement.payouts.map((p: { providerId: number; amountOre: string }) => [p.providerId, p.amountOre]),
      ),
    ).toEqual({
      [ids.sport]: expected.sport.toString(),
      [ids.clothing]: expected.clothing.toString(),
      [ids.books]: expected.books.toString(),
    });
    const twice = await post('/settlements/challenge', finance2, { periodId: 1 });
    expect(twice.json().error.code).toBe('SETTLEMENT_EXISTS');
    // The hub recorded the proposer's passkey account.
    const proposer = await s.signing.officer(proposerName);
    expect(settlement.signatures).toEqual([
      expect.objectContaining({
        step: 'close',
        username: 'demo.finance1',
        deviceName: 'demo.finance1s nøgle',
      }),
      expect.objectContaining({
        step: 'propose',
        username: proposerName,
        deviceName: `${proposerName}s nøgle`,
      }),
    ]);
    const onChain = await hubRead<{ proposer: string }>('settlementOf', [101, 1]);
    expect(onChain.proposer.toLowerCase()).toBe(proposer.address);
  });

  it('refuses execution before approval', async () => {
    const response = await post(`/settlements/${settlementId}/execute`, finance2);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('SETTLEMENT_NOT_APPROVED');
  });

  it('refuses approval by the proposer, in the API and on chain', async () => {
    const response = await post(`/settlements/${settlementId}/approve/challenge`, finance1);
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('SETTLEMENT_SELF_APPROVAL');
    // The proposer's own signature over the approval is refused by the API too.
    const proposer = await s.signing.officer(proposerName);
    const named = (await post(`/settlements/${settlementId}/approve/challenge`, finance2)).json();
    const self = await post(`/settlements/${settlementId}/approve`, finance1, {
      deadline: named.deadline,
      assertion: s.signing.assertion(proposer, named.digest),
    });
    expect(self.json().error.code).toBe('SETTLEMENT_SELF_APPROVAL');
    // Even a compromised API could not do it: the contract refuses A's own signature.
    const outboxId = await enqueue(s.world.deps.db, {
      kind: 'test.self-approve',
      contract: 'hub',
      functionName: 'approveSettlementSigned',
      args: [
        String(DEMO_MUNICIPALITY.id),
        '1',
        total.toString(),
        await s.signing.onChainSignature(proposer, {
          action: 'APPROVE_SETTLEMENT',
          municipalityId: DEMO_MUNICIPALITY.id,
          subject: periodSubject(1),
          amountOre: total,
        }),
      ],
    });
    const outcome = await s.world.gateway.outbox.waitFor(outboxId, 20_000);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/^SettlementSelfApproval/);
  });

  it('refuses approval on chain for a period nobody proposed', async () => {
    const outboxId = await enqueue(s.world.deps.db, {
      kind: 'test.approve-unproposed',
      contract: 'hub',
      functionName: 'approveSettlement',
      args: [String(DEMO_MUNICIPALITY.id), '2'],
    });
    const outcome = await s.world.gateway.outbox.waitFor(outboxId, 20_000);
    expect(outcome.error).toMatch(/^(SettlementNotProposed|MunicipalUnauthorizedAccount)/);
    expect((await post('/settlements/999999/approve/challenge', finance2)).statusCode).toBe(404);
  });

  it('lets officer B approve with B’s own passkey, once; the bank file waits until the chain has paid', async () => {
    const approver = proposerName === 'demo.finance1' ? 'demo.finance2' : 'demo.finance1';
    const officer = await s.signing.officer(approver);
    const named = (await post(`/settlements/${settlementId}/approve/challenge`, finance2)).json();
    expect(named).toMatchObject({
      settlementId,
      periodId: 1,
      totalOre: total.toString(),
      proposedBy: proposerName,
    });
    // A signature over another amount is not the approval the service recomputes.
    const other = await officerActionDigest(
      s.world.gateway,
      { action: 'APPROVE_SETTLEMENT', municipalityId: 101, subject: periodSubject(1), amountOre: total + 1n },
      named.deadline,
    );
    const wrongAmount = await post(`/settlements/${settlementId}/approve`, finance2, {
      deadline: named.deadline,
      assertion: s.signing.assertion(officer, other),
    });
    expect(wrongAmount.json().error.code).toBe('PASSKEY_ASSERTION_INVALID');
    const body = { deadline: named.deadline, assertion: s.signing.assertion(officer, named.digest) };
    const response = await post(`/settlements/${settlementId}/approve`, finance2, body);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'approved' });
    expect(response.json().signatures.map((sig: { step: string; username: string }) => sig.step)).toEqual([
      'close',
      'propose',
      'approve',
    ]);
    expect(response.json().signatures[2].username).toBe(approver);
    // The same assertion again: the counter did not grow, and there is nothing left to approve.
    const replayed = await post(`/settlements/${settlementId}/approve`, finance2, body);
    expect(replayed.statusCode).toBe(409);
    expect(replayed.json().error.code).toBe('SETTLEMENT_NOT_PROPOSED');
    const early = await get(`/settlements/${settlementId}/bank-file`, finance1);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('SETTLEMENT_NOT_PAID');
  });

  it('pays every provider once, in chunks, and a repeated execute pays nobody again', async () => {
    const response = await post(`/settlements/${settlementId}/execute`, finance2);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'paid',
      paidOre: total.toString(),
      paidProviderCount: 3,
    });
    const again = await post(`/settlements/${settlementId}/execute`, finance1);
    expect(again.json()).toMatchObject({ status: 'paid' });
    const chunks = await s.world.deps.db
      .select({ id: chainOutbox.id })
      .from(chainOutbox)
      .where(like(chainOutbox.idempotencyKey, `settlement:${settlementId}:payout:%`));
    expect(chunks).toHaveLength(2);
    for (const [name, amount] of Object.entries(expected)) {
      const providerId = ids[name as keyof typeof ids];
      // Paid on chain: held in transit until the bank confirms the transfer.
      const inTransit = await s.world.gateway.publicClient.readContract({
        address: s.world.gateway.addresses.hub,
        abi: voucherHubAbi,
        functionName: 'inTransitOf',
        args: [101, 1, providerId],
      });
      expect(inTransit, name).toBe(amount);
    }
    const statements = (await get(`/providers/${ids.sport}/statements`, sportToken)).json();
    expect(statements[0]).toMatchObject({ periodId: 1, status: 'paid', paidOre: expected.sport.toString() });
  });

  it('exports a pain.001 bank file whose control sum is the chain’s accruals for the period', async () => {
    const response = await get(`/settlements/${settlementId}/bank-file`, finance1);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/xml/);
    const xml = response.body;
    const accrued = (await get('/periods', finance1))
      .json()
      .find((p: { periodId: number }) => p.periodId === 1).accruedOre;
    expect(BigInt(accrued)).toBe(total);
    const kroner = `${accrued.slice(0, -2)}.${accrued.slice(-2)}`;
    expect(xml.match(/<CtrlSum>([^<]+)<\/CtrlSum>/)?.[1]).toBe(kroner);
    expect(xml.match(/<NbOfTxs>([^<]+)<\/NbOfTxs>/)?.[1]).toBe('3');
    const amounts = [...xml.matchAll(/<InstdAmt Ccy="DKK">([^<]+)<\/InstdAmt>/g)].map((m) => m[1]);
    expect(amounts.sort()).toEqual(['250.00', '250.50', '99.95']);
    expect(xml).toContain(`<EndToEndId>VOUCHER-M101-P1-PRV${ids.clothing}</EndToEndId>`);
    expect(xml).toContain(`<IBAN>${DEBTOR.iban}</IBAN>`);
    expect(xml).toContain('<IBAN>DK3852950001234567</IBAN>');
    if (painSchemaAvailable()) expect((await validateAgainstPainSchema(xml)).errors).toEqual([]);
    const csv = await get(`/settlements/${settlementId}/statement.csv`, finance2);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split('\n')[0]).toContain('end_to_end_id');
    // redeemed, voided, refunded, to receivable, claim, set off, paid (øre), paid (kroner)
    expect(csv.body).toContain(`total,,,,4,${total},0,0,0,${total},0,${total},${kroner}`);
  });

  it('reconciles clean afterwards, in the API and as npm run reconcile does', async () => {
    const report = (await get('/periods/1/reconciliation', finance1)).json();
    expect(report).toMatchObject({ clean: true, closed: true, chain: { paidOre: total.toString() } });
    const reports = await reconcileAll(s.world.deps.db, s.world.gateway);
    // Every period of both demo municipalities; the neighbour's only period is still open.
    expect(reports.map((r) => [r.municipalityId, r.periodId, r.differences])).toEqual([
      [101, 1, []],
      [101, 2, []],
      [147, 1, []],
    ]);
  });

  it('publishes spending per municipality, program, category and period without personal data', async () => {
    const response = await get('/public/spending?municipality=101');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ municipalityId: 101, municipalityName: 'Testkommune' });
    expect(body.totalOre).toBe(total.toString());
    expect(body.byPeriod).toEqual([{ key: '1', redemptions: 4, amountOre: total.toString() }]);
    expect(
      Object.fromEntries(
        body.byCategory.map((t: { key: string; amountOre: string }) => [t.key, t.amountOre]),
      ),
    ).toEqual({
      sport: expected.sport.toString(),
      clothing: expected.clothing.toString(),
      books: expected.books.toString(),
    });
    for (const citizen of citizens) expect(response.body).not.toContain(citizen.accountId.slice(2));
    for (const text of PERSONAL) expect(response.body).not.toContain(text);
  });

  it("shows each municipality's dashboard apart: the neighbour's holds none of Demo's spending", async () => {
    const municipalities = await get('/public/municipalities');
    expect(municipalities.json().map((m: { id: number }) => m.id)).toEqual([101, 147]);
    const neighbour = (await get('/public/spending?municipality=147')).json();
    expect(neighbour).toMatchObject({ municipalityId: 147, totalOre: '0', rows: [] });
    expect((await get('/public/spending')).statusCode).toBe(400);
    expect((await get('/public/spending?municipality=998')).statusCode).toBe(404);
  });

  it('audits every settlement step in the intact hash chain, without personal data', async () => {
    const rows = await s.world.deps.db.select().from(auditLog).where(like(auditLog.action, 'settlement.%'));
    const actions = rows.map((row) => row.action);
    for (const action of [
      'settlement.proposal.signed',
      'settlement.proposed',
      'settlement.approval.signed',
      'settlement.approved',
      'settlement.payout.enqueued',
      'settlement.paid',
    ]) {
      expect(actions).toContain(action);
    }
    expect(JSON.stringify(rows.map((row) => row.details))).not.toMatch(/Hemmeligsen|Skjultvej|DK\d{2}/);
    expect(await verifyAuditChain(s.world.deps.db)).toMatchObject({ ok: true });
  });
  it('settles a period without redemptions on approval alone, and says there is no bank file', async () => {
    expect((await close('demo.finance1', 2)).statusCode).toBe(200);
    const proposed = await propose('demo.finance1', 2);
    expect(proposed.statusCode, proposed.body).toBe(201);
    expect(proposed.json()).toMatchObject({ totalOre: '0', providerCount: 0, payouts: [] });
    const approved = await approve('demo.finance2', proposed.json().id);
    expect(approved.json()).toMatchObject({ status: 'paid' });
    const file = await get(`/settlements/${proposed.json().id}/bank-file`, finance1);
    expect(file.statusCode).toBe(409);
    expect(file.json().error.code).toBe('SETTLEMENT_NOTHING_TO_PAY');
    const periods = (await get('/periods', finance1)).json();
    expect(periods.map((p: { periodId: number; status: string }) => [p.periodId, p.status])).toEqual([
      [3, 'open'],
      [2, 'paid'],
      [1, 'paid'],
    ]);
  });
});
