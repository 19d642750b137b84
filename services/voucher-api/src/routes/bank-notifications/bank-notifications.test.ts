import {
  auditLog,
  bankNotificationEntries,
  bankNotificationImports,
  settlementPayouts,
  verifyAuditChain,
} from '@voucher/db';
import { eq } from 'drizzle-orm';
import type { PrivateKeyAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BankTransfer, buildCamt054, transfersOfPain001 } from '../../../test/support/camt054.ts';
import type { WorldCitizen } from '../../redemptions/test-world.ts';
import { claimsOfUsername } from '../../staff/staff-claims.ts';
import { withTenant } from '../../tenancy/with-tenant.ts';
import { createSettlementWorld, DEBTOR, type SettlementWorld } from '../settlements/test-settlement-world.ts';
import { BANK_NOTIFICATION_MAX_BYTES } from './index.ts';

const BORNEPAKKE = 'Børnepakke';
const ACCOUNT = { ...DEBTOR, ownerName: 'Demo Kommune' };

interface Payout {
  providerId: number;
  providerName: string;
  amountOre: string;
  endToEndId: string;
  bankConfirmedAt: string | null;
  bankImportId: string | null;
}
interface Entry {
  position: number;
  endToEndId: string | null;
  outcome: string;
  amountOre: string;
  creditorIban: string | null;
  providerName: string | null;
  periodId: number | null;
  expectedAmountOre: string | null;
  expectedIban: string | null;
}

/**
 * The bank's answer to a real settlement: the period is paid on chain, the pain.001 is taken
 * from the API, and the bank (test/support/camt054.ts) answers with camt.054 notifications
 * that finance imports over HTTP.
 */
describe('bank notifications: camt.054 confirms the payouts of a paid settlement', () => {
  let s: SettlementWorld;
  let finance1: string;
  let finance2: string;
  let naboFinance: string;
  let auditor: string;
  let caseworker: string;
  let settlementId: string;
  let transfers: BankTransfer[];
  let messageNumber = 0;

  const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'accept-language': 'en' });
  const get = (url: string, token: string) => s.app.inject({ method: 'GET', url, headers: auth(token) });
  const post = (url: string, token: string, payload?: object) =>
    s.app.inject({ method: 'POST', url, headers: auth(token), ...(payload ? { payload } : {}) });
  const upload = (xml: string, token = finance1, contentType = 'application/xml') =>
    s.app.inject({
      method: 'POST',
      url: '/bank-notifications',
      headers: { ...auth(token), 'content-type': contentType },
      payload: xml,
    });
  const notification = (entries: Parameters<typeof buildCamt054>[0]['entries'], credits = 0) =>
    buildCamt054({
      messageId: `DANSKE-054-${++messageNumber}`,
      createdAt: new Date(`2027-02-0${messageNumber}T06:00:00Z`),
      account: ACCOUNT,
      entries,
      credits: credits ? [{ amountOre: 500_000n, reference: 'FUNDING-2027' }] : [],
    });
  const settlement = async () => (await get(`/settlements/${settlementId}`, finance1)).json();
  const payouts = async (): Promise<Payout[]> => (await settlement()).payouts;
  const transfer = (index: number) => transfers[index] as BankTransfer;

  beforeAll(async () => {
    s = await createSettlementWorld({ chunkSize: 2 });
    const { world } = s;
    finance1 = await s.token('demo.finance1');
    finance2 = await s.token('demo.finance2');
    naboFinance = await s.token('nabo.finance1');
    auditor = await s.token('demo.auditor');
    caseworker = await s.token('demo.caseworker');
    const citizen: WorldCitizen = await world.citizen([BORNEPAKKE]);
    for (const [provider, amountOre] of [
      ['demo.sport', 15_000n],
      ['demo.clothing', 25_050n],
      ['demo.books', 9_995n],
    ] as const) {
      await s.redeem({
        citizen,
        provider,
        terminal: (await world.terminal(provider)) as PrivateKeyAccount,
        program: BORNEPAKKE,
        amountOre,
      });
    }
    settlementId = await s.closeProposeApprove(1);
    const paid = await post(`/settlements/${settlementId}/execute`, finance2);
    expect(paid.json()).toMatchObject({ status: 'paid' });
    const bankFile = await get(`/settlements/${settlementId}/bank-file`, finance1);
    expect(bankFile.statusCode).toBe(200);
    transfers = transfersOfPain001(bankFile.body);
  }, 240_000);
  afterAll(() => s?.close());

  it('shows a paid settlement awaiting the bank, each payout unconfirmed', async () => {
    expect(transfers).toHaveLength(3);
    expect(await settlement()).toMatchObject({
      status: 'paid',
      bankStatus: 'awaiting_bank',
      bankPayoutCount: 3,
      bankConfirmedCount: 0,
      bankPaidAt: null,
    });
    for (const payout of await payouts())
      expect(payout).toMatchObject({ bankConfirmedAt: null, bankImportId: null });
  });

  it('refuses a broken, foreign-currency, oversized or JSON upload with a stable code, and changes nothing', async () => {
    const good = notification(transfers);
    const cases: [string, string, number, string][] = [
      [good.slice(0, good.length - 300), 'application/xml', 400, 'BANK_NOTIFICATION_INVALID'],
      ['<html><body>login page</body></html>', 'application/xml', 400, 'BANK_NOTIFICATION_INVALID'],
      [good.replaceAll('Ccy="DKK"', 'Ccy="EUR"'), 'application/xml', 422, 'BANK_NOTIFICATION_CURRENCY'],
      [
        `${good}${' '.repeat(BANK_NOTIFICATION_MAX_BYTES)}`,
        'application/xml',
        413,
        'BANK_NOTIFICATION_TOO_LARGE',
      ],
      [JSON.stringify({ xml: good }), 'application/json', 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, contentType, status, code] of cases) {
      const response = await upload(body, finance1, contentType);
      expect(response.statusCode, response.body.slice(0, 200)).toBe(status);
      expect(response.json().error.code).toBe(code);
    }
    // Bad input says where, by element, in the caller's language; never a value from the file.
    const broken = await upload(
      good.replace(/<Amt Ccy="DKK">250\.50<\/Amt>/, '<Amt Ccy="DKK">250.505</Amt>'),
    );
    expect(broken.json().error).toMatchObject({
      code: 'BANK_NOTIFICATION_INVALID',
      message: expect.stringContaining('Nothing was changed'),
      messageDa: expect.stringContaining('Intet er ændret'),
      details: { reason: 'amount' },
    });
    expect(broken.body).not.toContain('250.505');
    expect((await get('/bank-notifications', finance1)).json()).toEqual([]);
    expect((await settlement()).bankConfirmedCount).toBe(0);
  });

  it('lets only finance import, and finance, admin and auditors read', async () => {
    const xml = notification(transfers);
    expect((await upload(xml, caseworker)).statusCode).toBe(403);
    expect((await upload(xml, auditor)).statusCode).toBe(403);
    expect((await get('/bank-notifications', caseworker)).statusCode).toBe(403);
    expect((await get('/bank-notifications', auditor)).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/bank-notifications' })).statusCode).toBe(401);
  });

  it('records a notification of transfers not yet booked as pending, confirming nothing', async () => {
    const response = await upload(notification(transfers.map((t) => ({ ...t, status: 'PDNG' as const }))));
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().counts).toMatchObject({ entries: 3, pending: 3, confirmed: 0 });
    expect(response.json().entries.map((e: Entry) => e.outcome)).toEqual(['pending', 'pending', 'pending']);
    expect((await settlement()).bankConfirmedCount).toBe(0);
  });

  it('keeps both values when the bank booked another amount or account, and confirms the exact one', async () => {
    const [first, second, third] = [transfer(0), transfer(1), transfer(2)];
    const response = await upload(
      notification([
        { ...first, amountOre: first.amountOre - 100n },
        { ...second, creditorIban: 'DK0912345678901234' },
        third,
      ]),
    );
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body.counts).toMatchObject({ entries: 3, differs: 2, confirmed: 1, unmatched: 0 });
    const [amountDiffers, accountDiffers, exact] = body.entries as Entry[];
    expect(amountDiffers).toMatchObject({
      outcome: 'differs',
      endToEndId: first.endToEndId,
      amountOre: (first.amountOre - 100n).toString(),
      expectedAmountOre: first.amountOre.toString(),
      creditorIban: first.creditorIban,
      expectedIban: first.creditorIban,
      periodId: 1,
    });
    expect(accountDiffers).toMatchObject({
      outcome: 'differs',
      creditorIban: 'DK0912345678901234',
      expectedIban: second.creditorIban,
      amountOre: second.amountOre.toString(),
    });
    expect(exact).toMatchObject({
      outcome: 'confirmed',
      endToEndId: third.endToEndId,
      providerName: expect.any(String),
    });
    const view = await settlement();
    expect(view).toMatchObject({ bankStatus: 'awaiting_bank', bankConfirmedCount: 1 });
    const confirmed = view.payouts.filter((p: Payout) => p.bankConfirmedAt !== null);
    expect(confirmed.map((p: Payout) => [p.endToEndId, p.bankImportId])).toEqual([
      [third.endToEndId, body.id],
    ]);
  });

  let fullImportId: string;
  let fullFile: string;

  it('confirms every payout once the bank booked them exactly, once even when the file arrives twice at once', async () => {
    fullFile = notification(
      [
        ...transfers,
        {
          endToEndId: 'VOUCHER-M101-P99-PRV999',
          amountOre: 1_234n,
          creditorIban: 'DK8030000012345678',
          creditorName: 'Ukendt',
        },
      ],
      1,
    );
    const both = await Promise.all([upload(fullFile), upload(fullFile)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    const [first, second] = both.map((r) => r.json());
    expect(second).toEqual(first);
    fullImportId = first.id;
    expect(first.counts).toEqual({
      entries: 4,
      confirmed: 2,
      differs: 0,
      unmatched: 1,
      duplicate: 1,
      pending: 0,
      ignoredCredit: 1,
    });
    expect(first.entries.map((e: Entry) => [e.endToEndId, e.outcome])).toEqual([
      [transfer(0).endToEndId, 'confirmed'],
      [transfer(1).endToEndId, 'confirmed'],
      [transfer(2).endToEndId, 'duplicate'],
      ['VOUCHER-M101-P99-PRV999', 'unmatched'],
    ]);
    const unmatched = first.entries[3] as Entry;
    expect(unmatched).toMatchObject({ providerName: null, periodId: null, expectedAmountOre: null });

    const view = await settlement();
    expect(view).toMatchObject({ bankStatus: 'paid_in_bank', bankPayoutCount: 3, bankConfirmedCount: 3 });
    expect(view.bankPaidAt).not.toBeNull();
    for (const payout of view.payouts as Payout[]) expect(payout.bankConfirmedAt).not.toBeNull();
    const periods = (await get('/periods', finance1)).json();
    expect(periods.find((p: { periodId: number }) => p.periodId === 1)).toMatchObject({
      status: 'paid',
      bankStatus: 'paid_in_bank',
    });
  });

  it('answers a re-import with the first result and confirms nothing twice, by file and by payout', async () => {
    const before = await s.world.deps.db.select().from(settlementPayouts);
    const again = await upload(fullFile);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(fullImportId);
    // The same entries in another file (the evening's camt.053, say) are duplicates.
    const later = await upload(notification(transfers));
    expect(later.statusCode).toBe(201);
    expect(later.json().counts).toMatchObject({ entries: 3, duplicate: 3, confirmed: 0 });
    expect(await s.world.deps.db.select().from(settlementPayouts)).toEqual(before);
    const list = (await get('/bank-notifications', finance1)).json();
    expect(list).toHaveLength(4);
    expect(list[0].id).toBe(later.json().id);
  });

  it("keeps another municipality's finance out: it sees nothing, and its import matches nothing of ours", async () => {
    expect((await get('/bank-notifications', naboFinance)).json()).toEqual([]);
    const theirs = await get(`/bank-notifications/${fullImportId}`, naboFinance);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().error.code).toBe('NOT_FOUND');
    const before = await s.world.deps.db.select().from(settlementPayouts);
    const imported = await upload(fullFile, naboFinance);
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json().counts).toMatchObject({ entries: 4, unmatched: 4, confirmed: 0 });
    expect(imported.json().entries.every((e: Entry) => e.providerName === null)).toBe(true);
    expect(await s.world.deps.db.select().from(settlementPayouts)).toEqual(before);
    expect((await get('/bank-notifications', finance1)).json()).toHaveLength(4);
    expect((await get(`/bank-notifications/${imported.json().id}`, finance1)).statusCode).toBe(404);
    expect((await get('/bank-notifications/not-a-uuid', finance1)).statusCode).toBe(400);
  });

  it('holds the wall in the database too: a tenant sees only its imports and cannot name our payout', async () => {
    const { deps } = s.world;
    const nabo = await claimsOfUsername(deps.db, 'nabo.finance1');
    const seen = await withTenant(deps, nabo, (scoped) => scoped.db.select().from(bankNotificationImports));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((row) => row.municipalityId === nabo.municipalityId)).toBe(true);
    const [naboImport] = seen;
    const [ours] = await deps.db.select().from(settlementPayouts).limit(1);
    // Even a Nabo write that forgot every check cannot tie its entry to Demo's payout.
    const forged = withTenant(deps, nabo, (scoped) =>
      scoped.db.insert(bankNotificationEntries).values({
        importId: naboImport?.id as string,
        municipalityId: nabo.municipalityId,
        position: 99,
        amountOre: 1n,
        bankStatus: 'BOOK',
        settlementId: ours?.settlementId,
        providerId: ours?.providerId,
        outcome: 'differs',
      }),
    );
    const refusal = await forged.then(
      () => undefined,
      (error: Error & { cause?: Error }) => `${error.message} ${error.cause?.message ?? ''}`,
    );
    expect(refusal).toMatch(/row-level security/);
  });

  it('audits each import with ids and counts only, on an intact hash chain', async () => {
    const rows = await s.world.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'bank_notification.imported'));
    const imports = await s.world.deps.db.select().from(bankNotificationImports);
    expect(rows).toHaveLength(imports.length);
    const full = rows.find((row) => row.subjectId === fullImportId);
    expect(full?.details).toMatchObject({ entries: 4, confirmed: 2, unmatched: 1, duplicate: 1 });
    const text = JSON.stringify(rows.map((row) => row.details));
    for (const t of transfers) {
      expect(text).not.toContain(t.creditorIban);
      expect(text).not.toContain(t.creditorName);
    }
    expect((await verifyAuditChain(s.world.deps.db)).ok).toBe(true);
  });
});
