import { chainOutbox, providers } from '@voucher/db';
import { eq, like } from 'drizzle-orm';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairingMessage } from '../src/terminals/pair-terminal.ts';
import {
  bearer,
  createTestApp,
  insertStaff,
  loginAs,
  MUNICIPALITY_ID,
  OTHER_MUNICIPALITY_ID,
  type TestApp,
  VALID_PROVIDER,
} from './support/app.ts';

describe('providers, provider staff, terminals and offers', () => {
  let testApp: TestApp;
  let adminToken: string;
  beforeAll(async () => {
    testApp = await createTestApp();
    await insertStaff(testApp, { username: 'admin', role: 'admin' });
    await insertStaff(testApp, {
      username: 'other.admin',
      role: 'admin',
      municipalityId: OTHER_MUNICIPALITY_ID,
    });
    adminToken = await loginAs(testApp, 'admin');
  });
  afterAll(() => testApp.close());

  const post = (url: string, payload: object | undefined, token = adminToken) =>
    testApp.app.inject({ method: 'POST', url, headers: bearer(token), ...(payload ? { payload } : {}) });
  const providerCount = async () => (await testApp.database.db.select().from(providers)).length;
  const outboxFor = (key: string) =>
    testApp.database.db.select().from(chainOutbox).where(like(chainOutbox.idempotencyKey, key));

  async function onboardAndApprove(overrides: Partial<typeof VALID_PROVIDER>) {
    const created = await post('/providers', { ...VALID_PROVIDER, ...overrides });
    expect(created.statusCode).toBe(201);
    const approved = await post(`/providers/${created.json().id}/approve`, undefined);
    expect(approved.statusCode).toBe(200);
    return approved.json() as { id: number; payoutAddress: string };
  }

  async function providerStaffToken(providerId: number, username: string): Promise<string> {
    const created = await post(`/providers/${providerId}/staff`, {
      username,
      password: 'provider-password-1',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ role: 'provider_staff', providerId });
    return loginAs(testApp, username, 'provider-password-1');
  }

  it('onboards a provider as pending with a normalised IBAN', async () => {
    const response = await post('/providers', { ...VALID_PROVIDER, cvr: '29000026' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      cvr: '29000026',
      iban: 'DK5000400440116243',
      categories: ['sport'],
      categoriesMask: 1,
      status: 'pending',
      payoutAddress: null,
    });
  });

  it.each([
    ['a CVR failing modulus 11', { cvr: '29000019' }, 'CVR_INVALID'],
    ['a CVR of 7 digits', { cvr: '2900001' }, 'CVR_INVALID'],
    ['an IBAN with a wrong checksum', { iban: 'DK5100400440116243' }, 'IBAN_INVALID'],
    ['a foreign IBAN', { iban: 'DE89370400440532013000' }, 'IBAN_INVALID'],
    ['an unknown field', { vatExempt: true }, 'VALIDATION_FAILED'],
    ['an unknown category', { categories: ['casino'] }, 'VALIDATION_FAILED'],
    ['no categories', { categories: [] }, 'VALIDATION_FAILED'],
    ['a bad email', { contactEmail: 'not-an-email' }, 'VALIDATION_FAILED'],
  ])('refuses %s with 400 and stores nothing', async (_name, overrides, code) => {
    const before = await providerCount();
    const response = await post('/providers', { ...VALID_PROVIDER, cvr: '29000034', ...overrides });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe(code);
    expect(await providerCount()).toBe(before);
  });

  it('refuses a duplicate CVR with 409', async () => {
    expect((await post('/providers', { ...VALID_PROVIDER, cvr: '29000042' })).statusCode).toBe(201);
    const before = await providerCount();
    const duplicate = await post('/providers', { ...VALID_PROVIDER, cvr: '29000042', name: 'Another' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('PROVIDER_CVR_TAKEN');
    expect(await providerCount()).toBe(before);
  });

  it('approves a provider: active, a payout address, and registerProvider queued for the chain', async () => {
    const provider = await onboardAndApprove({ cvr: '29000050', categories: ['sport', 'books'] });
    expect(provider).toMatchObject({ status: 'active', categoriesMask: 9 });
    expect(provider.payoutAddress).toMatch(/^0x[0-9a-f]{40}$/);
    const [intent] = await outboxFor(`provider:${provider.id}:register`);
    expect(intent).toMatchObject({ contract: 'hub', functionName: 'registerProvider', signer: 'operator' });
    expect(intent?.args).toEqual([String(MUNICIPALITY_ID), String(provider.id), provider.payoutAddress, '9']);
    const again = await post(`/providers/${provider.id}/approve`, undefined);
    expect(again.statusCode).toBe(409);
    expect(await outboxFor(`provider:${provider.id}:register`)).toHaveLength(1);
  });

  it("hides another municipality's provider behind 404", async () => {
    const created = await post('/providers', { ...VALID_PROVIDER, cvr: '29000069' });
    const otherAdmin = await loginAs(testApp, 'other.admin');
    const response = await post(`/providers/${created.json().id}/approve`, undefined, otherAdmin);
    expect(response.statusCode).toBe(404);
    const [row] = await testApp.database.db
      .select()
      .from(providers)
      .where(eq(providers.id, created.json().id));
    expect(row?.status).toBe('pending');
  });

  describe('with two approved providers and their staff', () => {
    let clubId: number;
    let shopId: number;
    let clubStaff: string;
    let shopStaff: string;
    beforeAll(async () => {
      clubId = (await onboardAndApprove({ cvr: '29000077', categories: ['sport'] })).id;
      shopId = (await onboardAndApprove({ cvr: '29000085', categories: ['clothing', 'books'] })).id;
      clubStaff = await providerStaffToken(clubId, 'club.staff');
      shopStaff = await providerStaffToken(shopId, 'shop.staff');
    });

    async function pairTerminal(token: string, providerId: number) {
      const codeResponse = await post(`/providers/${providerId}/pairing-codes`, undefined, token);
      expect(codeResponse.statusCode).toBe(201);
      const { code } = codeResponse.json();
      const terminal = privateKeyToAccount(generatePrivateKey());
      const signature = await terminal.signMessage({ message: pairingMessage(code) });
      const body = { pairingCode: code, address: terminal.address, label: 'Kasse 1', signature };
      return {
        code,
        terminal,
        body,
        response: await testApp.app.inject({ method: 'POST', url: '/terminals', payload: body }),
      };
    }

    it('lets provider staff see their own provider and nobody else', async () => {
      const own = await testApp.app.inject({
        method: 'GET',
        url: `/providers/${clubId}`,
        headers: bearer(clubStaff),
      });
      expect(own.statusCode).toBe(200);
      const other = await testApp.app.inject({
        method: 'GET',
        url: `/providers/${shopId}`,
        headers: bearer(clubStaff),
      });
      expect(other.statusCode).toBe(404);
      const list = await testApp.app.inject({ method: 'GET', url: '/providers', headers: bearer(clubStaff) });
      expect(list.json().map((provider: { id: number }) => provider.id)).toEqual([clubId]);
    });

    it('refuses pairing codes for another provider with 404', async () => {
      const response = await post(`/providers/${shopId}/pairing-codes`, undefined, clubStaff);
      expect(response.statusCode).toBe(404);
    });

    it('pairs a scanner with a one-time code and queues addTerminal', async () => {
      const { response, terminal, body } = await pairTerminal(clubStaff, clubId);
      expect(response.statusCode).toBe(201);
      const address = terminal.address.toLowerCase();
      expect(response.json()).toMatchObject({
        address,
        providerId: clubId,
        status: 'active',
        label: 'Kasse 1',
      });
      const [intent] = await outboxFor(`terminal:${address}:add`);
      expect(intent?.args).toEqual([String(clubId), address]);
      const reuse = await testApp.app.inject({ method: 'POST', url: '/terminals', payload: body });
      expect(reuse.statusCode).toBe(401);
      expect(reuse.json().error.code).toBe('PAIRING_CODE_INVALID');
    });

    it('refuses a pairing signed by a different key than the address', async () => {
      const codeResponse = await post(`/providers/${clubId}/pairing-codes`, undefined, clubStaff);
      const { code } = codeResponse.json();
      const impostor = privateKeyToAccount(generatePrivateKey());
      const victim = privateKeyToAccount(generatePrivateKey());
      const signature = await impostor.signMessage({ message: pairingMessage(code) });
      const response = await testApp.app.inject({
        method: 'POST',
        url: '/terminals',
        payload: { pairingCode: code, address: victim.address, label: 'Fake', signature },
      });
      expect(response.statusCode).toBe(401);
      expect(await outboxFor(`terminal:${victim.address.toLowerCase()}:add`)).toHaveLength(0);
    });

    it('refuses an expired pairing code', async () => {
      const codeResponse = await post(`/providers/${clubId}/pairing-codes`, undefined, clubStaff);
      const { code } = codeResponse.json();
      const terminal = privateKeyToAccount(generatePrivateKey());
      const signature = await terminal.signMessage({ message: pairingMessage(code) });
      testApp.clock.now = new Date(Date.now() + 11 * 60 * 1000);
      try {
        const response = await testApp.app.inject({
          method: 'POST',
          url: '/terminals',
          payload: { pairingCode: code, address: terminal.address, label: 'Late', signature },
        });
        expect(response.statusCode).toBe(401);
      } finally {
        testApp.clock.now = new Date();
      }
    });

    it("revokes a terminal, queues revokeTerminal, and hides it from another provider's staff", async () => {
      const { terminal } = await pairTerminal(clubStaff, clubId);
      const url = `/terminals/${terminal.address}`;
      const foreign = await testApp.app.inject({ method: 'DELETE', url, headers: bearer(shopStaff) });
      expect(foreign.statusCode).toBe(404);
      const revoked = await testApp.app.inject({ method: 'DELETE', url, headers: bearer(clubStaff) });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json().status).toBe('revoked');
      const [intent] = await outboxFor(`terminal:${terminal.address.toLowerCase()}:revoke`);
      expect(intent).toMatchObject({
        functionName: 'revokeTerminal',
        args: [terminal.address.toLowerCase()],
      });
      const twice = await testApp.app.inject({ method: 'DELETE', url, headers: bearer(clubStaff) });
      expect(twice.statusCode).toBe(409);
      const list = await testApp.app.inject({
        method: 'GET',
        url: `/providers/${clubId}/terminals`,
        headers: bearer(clubStaff),
      });
      expect(
        list.json().find((t: { address: string }) => t.address === terminal.address.toLowerCase()).status,
      ).toBe('revoked');
    });

    it('publishes offers in kroner or øre and lists them by category', async () => {
      const shoes = await post(
        `/providers/${shopId}/offers`,
        { title: 'Vinterstøvler', priceKroner: '349,95', category: 'clothing' },
        shopStaff,
      );
      expect(shoes.statusCode).toBe(201);
      expect(shoes.json()).toMatchObject({ priceOre: '34995', category: 'clothing', providerId: shopId });
      const book = await post(
        `/providers/${shopId}/offers`,
        { title: 'Billedbog', priceOre: '12900', category: 'books' },
        shopStaff,
      );
      expect(book.statusCode).toBe(201);
      const clothing = await testApp.app.inject({ method: 'GET', url: '/offers?category=clothing' });
      expect(clothing.statusCode).toBe(200);
      expect(clothing.json().map((offer: { title: string }) => offer.title)).toEqual(['Vinterstøvler']);
      const all = await testApp.app.inject({ method: 'GET', url: '/offers' });
      expect(all.json()).toHaveLength(2);
      const unknownCategory = await testApp.app.inject({ method: 'GET', url: '/offers?category=casino' });
      expect(unknownCategory.statusCode).toBe(400);
    });

    it.each([
      ['a negative price', { priceOre: '-100' }],
      ['a fractional øre price', { priceOre: '100.5' }],
      ['three decimals in kroner', { priceKroner: '10.505' }],
      ['a JSON number', { priceOre: 100 }],
      ['both øre and kroner', { priceOre: '100', priceKroner: '1.00' }],
      ['no price', {}],
    ])('refuses an offer with %s', async (_name, price) => {
      const response = await post(
        `/providers/${shopId}/offers`,
        { title: 'Bad', category: 'books', ...price },
        shopStaff,
      );
      expect(response.statusCode).toBe(400);
      expect(['VALIDATION_FAILED', 'AMOUNT_INVALID']).toContain(response.json().error.code);
    });

    it("refuses offers on another provider's catalogue with 404 and outside its categories with 400", async () => {
      const foreign = await post(
        `/providers/${shopId}/offers`,
        { title: 'X', priceOre: '100', category: 'books' },
        clubStaff,
      );
      expect(foreign.statusCode).toBe(404);
      const wrongCategory = await post(
        `/providers/${clubId}/offers`,
        { title: 'X', priceOre: '100', category: 'books' },
        clubStaff,
      );
      expect(wrongCategory.statusCode).toBe(400);
    });
  });
});
