import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StaffRole, staffUsers } from '@voucher/db';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { AppDeps } from '../../src/deps.ts';
import { createMunicipality } from '../../src/municipalities/create-municipality.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

/** Each test municipality pays from its own account (valid checksums; never a provider's). */
const TEST_DEBTOR = { debtorIban: 'DK9520000123456789', debtorBic: 'NDEADKKK' } as const;
const OTHER_DEBTOR = { debtorIban: 'DK9630000055500011', debtorBic: 'DABADKKK' } as const;

export const MUNICIPALITY_ID = 101;
export const OTHER_MUNICIPALITY_ID = 147;
export const PASSWORD = 'correct-horse-battery';

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  database: TestDatabase;
  clock: { now: Date };
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'voucher-api-test-')),
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    MASTER_KEY: randomBytes(32).toString('hex'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    PASS_SIGNING_KEY: generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'der', type: 'pkcs8' })
      .toString('base64'),
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '100000',
    // Worlds scan many passes at one provider within a minute; the limits have their own test.
    SCAN_LIMIT_PER_PROVIDER_PER_MINUTE: '100000',
    SCAN_LIMIT_PER_PASS_PER_MINUTE: '100000',
    ...overrides,
  });
}

/** The app on a fresh database with two municipalities; the clock can be moved by tests. */
export async function createTestApp(
  options: { config?: Config; deps?: Partial<AppDeps> } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = options.config ?? testConfig();
  const clock = { now: new Date() };
  await database.db.transaction(async (tx) => {
    await createMunicipality(tx, { id: MUNICIPALITY_ID, name: 'Testkommune', ...TEST_DEBTOR });
    await createMunicipality(tx, { id: OTHER_MUNICIPALITY_ID, name: 'Anden Kommune', ...OTHER_DEBTOR });
  });
  const app = await buildApp({ config, db: database.db, now: () => clock.now, ...options.deps });
  await app.ready();
  return {
    app,
    config,
    database,
    clock,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/** Inserts a staff user directly (the bootstrap path), returning its username. */
export async function insertStaff(
  testApp: TestApp,
  params: { username: string; role: StaffRole; municipalityId?: number; providerId?: number },
): Promise<string> {
  await testApp.database.db.insert(staffUsers).values({
    municipalityId: params.municipalityId ?? MUNICIPALITY_ID,
    username: params.username,
    role: params.role,
    providerId: params.providerId ?? null,
    passwordHash: await hashPassword(PASSWORD),
  });
  return params.username;
}

export async function loginAs(testApp: TestApp, username: string, password = PASSWORD): Promise<string> {
  const response = await testApp.app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { username, password },
  });
  if (response.statusCode !== 200) throw new Error(`login ${username} failed: ${response.body}`);
  return response.json().accessToken as string;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export const VALID_PROVIDER = {
  cvr: '29000018',
  name: 'Idrætsforeningen Test',
  iban: 'DK50 0040 0440 1162 43',
  categories: ['sport'],
  address: 'Stadionvej 1, 2100 København Ø',
  contactEmail: 'kontakt@if-test.dk',
  contactPhone: '+45 12345678',
};
