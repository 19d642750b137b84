import { REVERSAL_TYPES, redemptionDomain } from '@voucher/contracts';
import { auditLog, disputes, redemptionReversals, redemptions, verifyAuditChain } from '@voucher/db';
import { and, eq, like } from 'drizzle-orm';
import type { PrivateKeyAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorldCitizen } from '../../redemptions/test-world.ts';
import { createSettlementWorld, type SettlementWorld } from '../settlements/test-settlement-world.ts';

const FRITIDSPAS = 'Fritidspas 2027';
const BORNEPAKKE = 'Børnepakke';
/** What the test world writes into every citizen's vault: none of it may reach a provider or a log. */
const PERSONAL = ['Hemmeligsen', 'Testperson', 'Skjultvej', 'Testby', 'hemmelig@example.invalid'];

/**
 * Disputes end to end: a citizen flags a redemption in the app, the provider sees it without
 * knowing who, a caseworker of the municipality decides (one of another municipality can
 * neither see nor decide it), a provider's refund settles another, and each step is audited.
 */
describe('disputes of a redemption, through HTTP on anvil', () => {
  let s: SettlementWorld;
  let karen: WorldCitizen;
  let ole: WorldCitizen;
  let sportTill: PrivateKeyAccount;
  let sportId: number;
  let caseworker: string;
  let naboCaseworker: string;
  let finance: string;
  let sportStaff: string;
  let booksStaff: string;
  let disputeId: string;
  let karenToken: string;
  let oleToken: string;
  const sale: Record<string, { terminal: string; redemptionId: bigint }> = {};

  const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'accept-language': 'en' });
  const get = (url: string, token: string) => s.app.inject({ method: 'GET', url, headers: auth(token) });
  const post = (url: string, token: string, payload: object) =>
    s.app.inject({ method: 'POST', url, headers: auth(token), payload });
  const own = (name: string) => {
    const found = sale[name];
    if (!found) throw new Error(`no sale ${name}`);
    return `/me/redemptions/${found.terminal}/${found.redemptionId}/dispute`;
  };
  const forCitizen = (citizen: WorldCitizen, name: string) => {
    const found = sale[name];
    if (!found) throw new Error(`no sale ${name}`);
    return `/citizens/${citizen.citizenId}/redemptions/${found.terminal}/${found.redemptionId}/dispute`;
  };

  beforeAll(async () => {
    s = await createSettlementWorld();
    const { world } = s;
    karen = await world.citizen([FRITIDSPAS, BORNEPAKKE]);
    ole = await world.citizen([BORNEPAKKE]);
    // A citizen's session as the activation route signs it, by this app.
    const session = (citizen: WorldCitizen) =>
      s.app.jwt.sign({
        sub: citizen.accountId,
        role: 'citizen',
        municipalityId: 101,
        accountId: citizen.accountId,
      });
    karenToken = session(karen);
    oleToken = session(ole);
    sportTill = await world.terminal('demo.sport');
    sportId = await world.providerId('demo.sport');
    caseworker = await s.token('demo.caseworker');
    naboCaseworker = await s.token('nabo.caseworker');
    finance = await s.token('demo.finance1');
    sportStaff = await s.token('demo.sport');
    booksStaff = await s.token('demo.books');
    for (const [name, citizen, program, amountOre] of [
      ['karen-1', karen, FRITIDSPAS, 15_000n],
      ['karen-2', karen, BORNEPAKKE, 7_500n],
      ['karen-3', karen, BORNEPAKKE, 2_000n],
      ['ole-1', ole, BORNEPAKKE, 4_200n],
    ] as const) {
      await s.redeem({ citizen, provider: 'demo.sport', terminal: sportTill, program, amountOre });
      const last = s.redeemed.at(-1);
      if (!last) throw new Error('nothing redeemed');
      sale[name] = { terminal: last.terminal, redemptionId: last.redemptionId };
    }
  }, 240_000);
  afterAll(() => s?.close());

  it('lets a citizen flag their own confirmed redemption, once while it is open', async () => {
    const response = await post(own('karen-1'), karenToken, { reason: 'not_mine' });
    expect(response.statusCode, response.body).toBe(201);
    const { dispute } = response.json();
    disputeId = dispute.id;
    expect(dispute).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      municipalityId: 101,
      terminal: sale['karen-1']?.terminal,
      redemptionId: sale['karen-1']?.redemptionId.toString(),
      providerId: sportId,
      providerName: 'Demo Idrætsforening',
      programId: expect.any(String),
      programName: FRITIDSPAS,
      amountOre: '15000',
      redeemedAt: expect.any(String),
      reason: 'not_mine',
      raisedBy: 'citizen',
      status: 'open',
      refundedOre: '0',
      createdAt: expect.any(String),
      decidedAt: null,
    });
    const again = await post(own('karen-1'), karenToken, { reason: 'wrong_amount' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('DISPUTE_ALREADY_OPEN');
  });

  it("refuses someone else's redemption like a missing one, and a bad reason without changing anything", async () => {
    const theirs = await post(own('karen-2'), oleToken, { reason: 'not_mine' });
    expect(theirs.statusCode).toBe(404);
    const missing = await post(`/me/redemptions/${sale['karen-2']?.terminal}/999999/dispute`, karenToken, {
      reason: 'not_mine',
    });
    expect(missing.statusCode).toBe(404);
    const free = await post(own('karen-2'), karenToken, { reason: 'I was at home that day' });
    expect(free.statusCode).toBe(400);
    expect(free.json().error.code).toBe('VALIDATION_FAILED');
    const extra = await post(own('karen-2'), karenToken, { reason: 'other', note: 'no free text' });
    expect(extra.statusCode).toBe(400);
    expect(await s.world.deps.db.select().from(disputes)).toHaveLength(1);
  });

  it('shows the citizen only their own disputes', async () => {
    const mine = await get('/me/disputes', karenToken);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().disputes.map((d: { id: string }) => d.id)).toEqual([disputeId]);
    expect((await get('/me/disputes', oleToken)).json()).toEqual({ disputes: [] });
  });

  it("shows the provider's staff the redemption, amount, time, reason and status, never who the citizen is", async () => {
    const response = await get(`/providers/${sportId}/disputes`, sportStaff);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().disputes).toEqual([
      expect.objectContaining({
        id: disputeId,
        redemptionId: sale['karen-1']?.redemptionId.toString(),
        amountOre: '15000',
        reason: 'not_mine',
        status: 'open',
      }),
    ]);
    expect(response.body).not.toContain(karen.accountId.slice(2));
    expect(response.body).not.toContain(karen.citizenId);
    for (const text of PERSONAL) expect(response.body).not.toContain(text);
    expect((await get(`/providers/${sportId}/disputes`, booksStaff)).statusCode).toBe(404);
  });

  it("keeps the dispute behind the municipality's wall: another municipality's caseworker neither sees nor decides it", async () => {
    const queue = await get('/disputes', caseworker);
    expect(queue.json().disputes.map((d: { id: string }) => d.id)).toEqual([disputeId]);
    expect((await get('/disputes?status=all', finance)).json().disputes).toHaveLength(1);
    expect((await get('/disputes', naboCaseworker)).json()).toEqual({ disputes: [] });
    expect((await get('/disputes?status=all', naboCaseworker)).json()).toEqual({ disputes: [] });
    const theirs = await post(`/disputes/${disputeId}/decision`, naboCaseworker, { outcome: 'upheld' });
    expect(theirs.statusCode).toBe(404);
    const finance403 = await post(`/disputes/${disputeId}/decision`, finance, { outcome: 'upheld' });
    expect(finance403.statusCode).toBe(403);
    const neighbour = await post(forCitizen(ole, 'ole-1'), naboCaseworker, { reason: 'not_mine' });
    expect(neighbour.statusCode).toBe(404);
    expect((await get('/disputes?status=bogus', caseworker)).statusCode).toBe(400);
  });

  it('lets a caseworker of the municipality decide it, once', async () => {
    const unknown = await post(`/disputes/${crypto.randomUUID()}/decision`, caseworker, {
      outcome: 'upheld',
    });
    expect(unknown.statusCode).toBe(404);
    const bad = await post(`/disputes/${disputeId}/decision`, caseworker, { outcome: 'refunded' });
    expect(bad.statusCode).toBe(400);
    const decided = await post(`/disputes/${disputeId}/decision`, caseworker, { outcome: 'rejected' });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json().dispute).toMatchObject({ status: 'rejected', decidedAt: expect.any(String) });
    const again = await post(`/disputes/${disputeId}/decision`, caseworker, { outcome: 'upheld' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'DISPUTE_NOT_OPEN', details: { status: 'rejected' } });
    expect((await get('/disputes', caseworker)).json()).toEqual({ disputes: [] });
    // Decided, it is no longer open: the citizen may raise it again.
    expect((await post(own('karen-1'), karenToken, { reason: 'wrong_amount' })).statusCode).toBe(201);
  });

  it("lets a caseworker flag a redemption for their citizen, and a provider's refund settle it", async () => {
    const raised = await post(forCitizen(ole, 'ole-1'), caseworker, { reason: 'not_delivered' });
    expect(raised.statusCode, raised.body).toBe(201);
    const { dispute } = raised.json();
    expect(dispute).toMatchObject({ raisedBy: 'caseworker', reason: 'not_delivered', amountOre: '4200' });
    expect((await post(forCitizen(ole, 'karen-2'), caseworker, { reason: 'not_mine' })).statusCode).toBe(404);
    await s.reverse({
      terminal: sportTill,
      original: sale['ole-1'] as { terminal: string; redemptionId: bigint },
      amountOre: 4_200n,
      kind: 'refund',
      reason: 'dispute',
      disputeId: dispute.id,
    });
    const [seen] = (await get('/me/disputes', oleToken)).json().disputes;
    expect(seen).toMatchObject({ id: dispute.id, status: 'refunded', refundedOre: '4200' });
    const late = await post(`/disputes/${dispute.id}/decision`, caseworker, { outcome: 'upheld' });
    expect(late.json().error).toMatchObject({ code: 'DISPUTE_NOT_OPEN', details: { status: 'refunded' } });
    // Fully given back, there is nothing left to dispute.
    const over = await post(own('ole-1'), oleToken, { reason: 'other' });
    expect(over.statusCode).toBe(409);
    expect(over.json().error.code).toBe('DISPUTE_REDEMPTION_REVERSED');
  });

  it('reads a dispute whose refund was confirmed as refunded even before it was marked, and marks it on decision', async () => {
    const raised = await post(own('karen-2'), karenToken, { reason: 'wrong_amount' });
    const id = raised.json().dispute.id;
    const refund = await s.reverse({
      terminal: sportTill,
      original: sale['karen-2'] as { terminal: string; redemptionId: bigint },
      amountOre: 2_500n,
      kind: 'refund',
    });
    await s.world.deps.db
      .update(redemptionReversals)
      .set({ disputeId: id })
      .where(
        and(
          eq(redemptionReversals.terminal, refund.terminal),
          eq(redemptionReversals.reversalId, refund.reversalId),
        ),
      );
    const listed = (await get('/disputes?status=all', caseworker)).json().disputes;
    expect(listed.find((d: { id: string }) => d.id === id)).toMatchObject({
      status: 'refunded',
      refundedOre: '2500',
    });
    expect(
      (await get('/disputes', caseworker)).json().disputes.map((d: { id: string }) => d.id),
    ).not.toContain(id);
    const decided = await post(`/disputes/${id}/decision`, caseworker, { outcome: 'upheld' });
    expect(decided.json().error).toMatchObject({ code: 'DISPUTE_NOT_OPEN', details: { status: 'refunded' } });
    const [row] = await s.world.deps.db.select().from(disputes).where(eq(disputes.id, id));
    expect(row?.status).toBe('refunded');
  });

  it("reads a dispute as refunded once the provider's refund through the counter's corrections names it", async () => {
    const raised = await post(own('karen-3'), karenToken, { reason: 'wrong_amount' });
    expect(raised.statusCode, raised.body).toBe(201);
    const id = raised.json().dispute.id;
    const original = sale['karen-3'] as { terminal: string; redemptionId: bigint };
    const [row] = await s.world.deps.db
      .select()
      .from(redemptions)
      .where(
        and(eq(redemptions.terminal, original.terminal), eq(redemptions.redemptionId, original.redemptionId)),
      );
    if (!row) throw new Error('no redemption');
    const reversalId = 900_001n;
    const deadline = Math.floor(Date.now() / 1000) + 600;
    const signature = await sportTill.signTypedData({
      domain: redemptionDomain(s.world.gateway.chainId, s.world.gateway.addresses.hub),
      types: REVERSAL_TYPES,
      primaryType: 'Reversal',
      message: {
        id: reversalId,
        redemption: {
          id: row.redemptionId,
          account: row.account as `0x${string}`,
          program: row.programId,
          provider: row.providerId,
          amountOre: row.amountOre,
          deadline: Number(row.deadline),
        },
        amountOre: 1_000n,
        period: 0,
        deadline,
      },
    });
    const refund = await post(
      `/redemptions/${original.terminal}/${original.redemptionId}/reversals`,
      sportStaff,
      {
        terminal: sportTill.address,
        reversalId: reversalId.toString(),
        kind: 'refund',
        reason: 'dispute',
        amountOre: '1000',
        period: 0,
        deadline,
        signature,
        disputeId: id,
      },
    );
    expect(refund.statusCode, refund.body).toBe(200);
    // Marked in the refund's own confirmation, with its audit entry: not only read as refunded.
    const [stored] = await s.world.deps.db.select().from(disputes).where(eq(disputes.id, id));
    expect(stored?.status).toBe('refunded');
    const audited = await s.world.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'dispute.refunded'), eq(auditLog.subjectId, id)));
    expect(audited).toHaveLength(1);
    const seen = (await get(`/providers/${sportId}/disputes`, sportStaff)).json().disputes;
    expect(seen.find((d: { id: string }) => d.id === id)).toMatchObject({
      status: 'refunded',
      refundedOre: '1000',
    });
    expect(
      (await get('/disputes', caseworker)).json().disputes.map((d: { id: string }) => d.id),
    ).not.toContain(id);
  });

  it('refuses a redemption that has not gone through', async () => {
    const pendingId = 123_456n;
    const [template] = await s.world.deps.db
      .select()
      .from(redemptions)
      .where(
        and(
          eq(redemptions.terminal, sale['karen-3']?.terminal ?? ''),
          eq(redemptions.redemptionId, sale['karen-3']?.redemptionId ?? -1n),
        ),
      );
    if (!template) throw new Error('no template');
    await s.world.deps.db.insert(redemptions).values({
      ...template,
      redemptionId: pendingId,
      status: 'pending',
      txHash: null,
      periodId: null,
      confirmedAt: null,
      outboxId: null,
    });
    const response = await post(`/me/redemptions/${template.terminal}/${pendingId}/dispute`, karenToken, {
      reason: 'not_mine',
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('DISPUTE_REDEMPTION_NOT_CONFIRMED');
    await s.world.deps.db
      .delete(redemptions)
      .where(and(eq(redemptions.terminal, template.terminal), eq(redemptions.redemptionId, pendingId)));
  });

  it('audits every step in the intact hash chain, with ids only', async () => {
    const rows = await s.world.deps.db.select().from(auditLog).where(like(auditLog.action, 'dispute.%'));
    const count = (action: string) => rows.filter((row) => row.action === action).length;
    expect(count('dispute.raised')).toBe(5);
    expect(count('dispute.decided')).toBe(1);
    // Two marked when read or decided after a refund, one by the counter's refund confirming.
    expect(count('dispute.refunded')).toBe(3);
    const decided = rows.find((row) => row.action === 'dispute.decided');
    expect(decided).toMatchObject({ actorRole: 'caseworker', subjectType: 'dispute', subjectId: disputeId });
    expect(decided?.details).toMatchObject({ outcome: 'rejected', providerId: sportId });
    const byCitizen = rows.find((row) => row.action === 'dispute.raised' && row.subjectId === disputeId);
    expect(byCitizen).toMatchObject({ actorId: 'citizen', actorRole: 'citizen' });
    const text = JSON.stringify(rows.map(({ seq: _seq, ...row }) => row));
    for (const citizen of [karen, ole]) {
      expect(text).not.toContain(citizen.accountId.slice(2));
      expect(text).not.toContain(citizen.citizenId);
    }
    for (const personal of PERSONAL) expect(text).not.toContain(personal);
    expect(await verifyAuditChain(s.world.deps.db)).toMatchObject({ ok: true });
  });
});
