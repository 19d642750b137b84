import { municipalities } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { isValidIBAN } from 'ibantools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMunicipality } from '../src/municipalities/create-municipality.ts';
import {
  DEMO_MUNICIPALITY,
  DEMO_PROVIDERS,
  NEIGHBOUR_MUNICIPALITY,
  NEIGHBOUR_PROVIDER,
} from '../src/seed/demo.ts';
import {
  bearer,
  createTestApp,
  insertStaff,
  loginAs,
  MUNICIPALITY_ID,
  type TestApp,
  VALID_PROVIDER,
} from './support/app.ts';

/**
 * The municipality's debtor IBAN (the account its bank files pay from) is checksum-checked
 * wherever it is set: PUT /municipality/bank-account and a municipality created with one.
 */
describe('the debtor bank account', () => {
  let testApp: TestApp;
  let adminToken: string;
  beforeAll(async () => {
    testApp = await createTestApp();
    await insertStaff(testApp, { username: 'admin', role: 'admin' });
    adminToken = await loginAs(testApp, 'admin');
  });
  afterAll(() => testApp.close());

  const put = (payload: object) =>
    testApp.app.inject({
      method: 'PUT',
      url: '/municipality/bank-account',
      headers: bearer(adminToken),
      payload,
    });

  it.each([
    ['a wrong check digit', 'DK9420000123456789'],
    ['a mistyped account digit', 'DK9520000123456788'],
    ['a foreign IBAN', 'DE89370400440532013000'],
    ['too short', 'DK952000012345'],
    ['punctuation', 'DK95-2000-0123-4567-89'],
  ])('refuses %s with DEBTOR_IBAN_INVALID and keeps the old account', async (_, iban) => {
    const response = await put({ iban, bic: 'NDEADKKK' });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.code).toBe('DEBTOR_IBAN_INVALID');
    const [row] = await testApp.database.db
      .select({ debtorIban: municipalities.debtorIban })
      .from(municipalities)
      .where(eq(municipalities.id, MUNICIPALITY_ID));
    expect(row?.debtorIban).toBe('DK9520000123456789');
  });

  it('takes a valid one in grouped form and stores it electronically', async () => {
    const response = await put({ iban: 'dk50 2000 0000 1234 57', bic: 'ndeadkkk' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ debtorIban: 'DK5020000000123457', debtorBic: 'NDEADKKK' });
  });

  it('refuses a provider’s account with DEBTOR_IBAN_IS_CREDITOR', async () => {
    const created = await testApp.app.inject({
      method: 'POST',
      url: '/providers',
      headers: bearer(adminToken),
      payload: VALID_PROVIDER,
    });
    expect(created.statusCode, created.body).toBe(201);
    const response = await put({ iban: VALID_PROVIDER.iban, bic: 'DABADKKK' });
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().error.code).toBe('DEBTOR_IBAN_IS_CREDITOR');
  });

  it('a municipality created with a wrong debtor IBAN is refused and not written', async () => {
    const create = () =>
      testApp.database.db.transaction((tx) =>
        createMunicipality(tx, {
          id: 851,
          name: 'Tastefejl Kommune',
          debtorIban: 'DK9420000123456789',
          debtorBic: 'NDEADKKK',
        }),
      );
    await expect(create()).rejects.toMatchObject({ code: 'DEBTOR_IBAN_INVALID' });
    const rows = await testApp.database.db.select().from(municipalities).where(eq(municipalities.id, 851));
    expect(rows).toEqual([]);
  });
});

describe('the demo municipalities’ debtor accounts', () => {
  const providerIbans = [...DEMO_PROVIDERS, NEIGHBOUR_PROVIDER].map((provider) => provider.iban);

  it.each([DEMO_MUNICIPALITY, NEIGHBOUR_MUNICIPALITY])(
    '$name pays from a valid account of its own',
    (municipality) => {
      expect(isValidIBAN(municipality.debtorIban)).toBe(true);
      expect(providerIbans).not.toContain(municipality.debtorIban);
    },
  );
});
