import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { auditLog, type Database } from '@voucher/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, insertStaff, loginAs, type TestApp } from '../../../test/support/app.ts';
import { cprBlindIndex, personProgramKey } from '../../privacy/blind-index.ts';
import { vaultKeyring } from '../../privacy/citizen-record.ts';
import { enrol, insertPublishedProgram, KAREN } from './test-helpers.ts';

/** Every row of every table outside the system schemas, as PostgreSQL's own text form. */
async function dumpEveryTable(db: Database): Promise<string> {
  const tables = await db.execute<{ schema: string; name: string }>(sql`
    SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`);
  let dump = '';
  for (const { schema, name } of rowsOf<{ schema: string; name: string }>(tables)) {
    const result = await db.execute(sql.raw(`SELECT t::text AS row FROM "${schema}"."${name}" t`));
    dump += `-- ${schema}.${name}\n${rowsOf<{ row: string }>(result)
      .map((line) => line.row)
      .join('\n')}\n`;
  }
  return dump;
}

/** PGlite answers { rows }, postgres-js an array: the same rows either way. */
function rowsOf<T>(result: unknown): T[] {
  return (result as { rows?: T[] }).rows ?? (result as T[]);
}

/** The ways the person could appear in a dump: as text, and as the hex PostgreSQL prints for bytea. */
function traces(): string[] {
  const texts = [
    KAREN.name,
    'Karen',
    'Østergaard',
    KAREN.cpr,
    KAREN.cpr.replace('-', ''),
    KAREN.address.street,
    'Nørrebrogade',
    KAREN.contact.email,
  ];
  return [...texts, ...texts.map((text) => Buffer.from(text, 'utf8').toString('hex'))];
}

describe('GDPR: access export and erasure by crypto-shredding', () => {
  let testApp: TestApp;
  let caseworker: string;
  let citizenId: string;
  let accountId: string;
  let programId: bigint;
  let devicePublicKey: JsonWebKey;
  beforeAll(async () => {
    testApp = await createTestApp();
    await insertStaff(testApp, { username: 'case', role: 'caseworker' });
    caseworker = await loginAs(testApp, 'case');
    programId = await insertPublishedProgram(testApp, { name: 'Fritidspas' });
    ({ citizenId, accountId } = (await enrol(testApp, caseworker, KAREN)).json());
    const granted = await testApp.app.inject({
      method: 'POST',
      url: `/citizens/${citizenId}/grants`,
      headers: bearer(caseworker),
      payload: { programId: programId.toString() },
    });
    expect(granted.statusCode).toBe(201);
    const code = (await call('POST', `/citizens/${citizenId}/letter`)).body.match(
      /[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}/,
    )?.[0];
    const token = (await testApp.app.inject({ method: 'POST', url: '/activation', payload: { code } })).json()
      .accessToken;
    devicePublicKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    const device = await testApp.app.inject({
      method: 'POST',
      url: '/activation/device',
      headers: bearer(token),
      payload: { publicKey: devicePublicKey },
    });
    expect(device.statusCode).toBe(201);
  });
  afterAll(() => testApp.close());

  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    testApp.app.inject({ method, url, headers: bearer(caseworker), ...(payload ? { payload } : {}) });

  it('exports everything held about the person (art. 15)', async () => {
    const response = await call('GET', `/citizens/${citizenId}/export`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const exported = response.json();
    expect(exported).toMatchObject({
      legalBasis: 'GDPR art. 15',
      person: { name: KAREN.name, cpr: KAREN.cpr, address: KAREN.address, account: { accountId } },
      passes: [{ status: 'active' }],
      devices: [{ publicKey: expect.stringContaining(devicePublicKey.x as string) }],
      activationCodes: [{ usedAt: expect.any(String), attempts: 1 }],
      onChain: { accountId },
    });
    expect(exported.person.grants).toHaveLength(1);
    expect(exported.processingLog.map((entry: { action: string }) => entry.action)).toEqual([
      'citizen.enrolled',
      'citizen.granted',
      'citizen.letter_printed',
    ]);
  });

  it('holds no personal data in plain text even before erasure', async () => {
    const dump = await dumpEveryTable(testApp.database.db);
    for (const trace of traces()) expect(dump).not.toContain(trace);
  });

  it('erases (art. 17): no table holds anything that ties back to the person, and nothing finds them', async () => {
    const keyring = vaultKeyring(testApp.config);
    const blindIndexHex = cprBlindIndex(keyring.current, '1506901236').toString('hex');
    const personKeyHex = personProgramKey(keyring.current, '1506901236', programId.toString()).toString(
      'hex',
    );
    const before = await dumpEveryTable(testApp.database.db);
    expect(before).toContain(blindIndexHex);
    expect(before).toContain(personKeyHex);

    const erased = await call('POST', `/citizens/${citizenId}/erase`);
    expect(erased.statusCode).toBe(204);

    const dump = await dumpEveryTable(testApp.database.db);
    for (const trace of [...traces(), blindIndexHex, personKeyHex, devicePublicKey.x as string]) {
      expect(dump).not.toContain(trace);
    }
    // The account stays as a pseudonym, with no link to the citizen row.
    expect(dump).toContain(accountId.slice(2));

    expect((await call('POST', '/citizens/lookup', { cpr: KAREN.cpr })).statusCode).toBe(404);
    for (const url of [`/citizens/${citizenId}`, `/citizens/${citizenId}/export`]) {
      expect((await call('GET', url)).statusCode).toBe(404);
    }
    expect((await call('POST', `/citizens/${citizenId}/letter`)).statusCode).toBe(404);
    expect((await call('POST', `/citizens/${citizenId}/erase`)).statusCode).toBe(404);
  });

  it('records the erasure in the audit log without personal data, and closes the account on chain', async () => {
    const entries = await testApp.database.db.select().from(auditLog);
    const erasure = entries.find((entry) => entry.action === 'citizen.erased');
    expect(erasure).toMatchObject({
      subjectType: 'citizen',
      subjectId: citizenId,
      details: { legalBasis: 'GDPR art. 17' },
    });
    const outbox = await testApp.database.db.execute(
      sql`SELECT args::text AS args FROM chain_outbox WHERE idempotency_key = ${`account:${accountId}:close`}`,
    );
    const [close] = rowsOf<{ args: string }>(outbox);
    expect(close?.args).toBe(`["${accountId}", "3"]`);
  });

  it('lets the person be enrolled again as a new citizen afterwards', async () => {
    const again = await enrol(testApp, caseworker, KAREN);
    expect(again.statusCode).toBe(201);
    expect(again.json().citizenId).not.toBe(citizenId);
    expect(again.json().accountId).not.toBe(accountId);
  });
});
