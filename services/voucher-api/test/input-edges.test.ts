import { providers, staffUsers } from '@voucher/db';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import { createMunicipality } from '../src/municipalities/create-municipality.ts';
import { bearer, MUNICIPALITY_ID, PASSWORD, testConfig } from './support/app.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

// A value nobody else would write: if it shows up in a log line, a parameter leaked.
const MARKER_ID = 98_765_432_109;
const MARKER_TEXT = 'leak-marker-7c1f';

/**
 * Ids and amounts beyond what their columns hold are a 400 naming the field, never a 500; and
 * a failed query is logged without its parameters (drizzle puts them in the error's message).
 */
describe('input beyond its column, and what a failed query logs', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let token: string;
  const lines: string[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db.transaction((tx) =>
      createMunicipality(tx, {
        id: MUNICIPALITY_ID,
        name: 'Testkommune',
        debtorIban: 'DK9520000123456789',
        debtorBic: 'NDEADKKK',
      }),
    );
    await database.db.insert(staffUsers).values({
      municipalityId: MUNICIPALITY_ID,
      username: 'admin',
      role: 'admin',
      passwordHash: await hashPassword(PASSWORD),
    });
    const db = database.db;
    app = await buildApp(
      { config: testConfig({ LOG_LEVEL: 'warn' }), db },
      {
        logStream: { write: (line) => void lines.push(line) },
        extraRoutes: [
          async (scope) => {
            // Routes whose schema lets a value through that the database then refuses.
            scope.get('/test/out-of-range', async () =>
              db.select().from(providers).where(eq(providers.id, MARKER_ID)),
            );
            scope.get('/test/duplicate', async () =>
              db.insert(staffUsers).values({
                municipalityId: MUNICIPALITY_ID,
                username: 'admin',
                role: 'admin',
                passwordHash: MARKER_TEXT,
              }),
            );
          },
        ],
      },
    );
    await app.ready();
    const login = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'admin', password: PASSWORD },
    });
    token = login.json().accessToken;
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const validation = (response: {
    statusCode: number;
    json(): { error: { code: string; details: object } };
  }) => {
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
    return response.json().error.details;
  };

  it('answers an id beyond integer in a path with 400 naming the id', async () => {
    for (const url of [`/providers/${MARKER_ID}`, `/providers/2147483648/terminals`]) {
      const response = await app.inject({ method: 'GET', url, headers: bearer(token) });
      expect(validation(response), url).toMatchObject({ location: 'params', path: '/id' });
    }
    // The largest integer is still an id: it is simply not found.
    const largest = await app.inject({ method: 'GET', url: '/providers/2147483647', headers: bearer(token) });
    expect(largest.statusCode).toBe(404);
  });

  it('answers amounts beyond bigint and provider ids beyond integer in a body with 400 naming the field', async () => {
    const program = {
      name: 'Stort',
      kind: 'credit',
      creditOre: '9223372036854775808',
      maxPerUseOre: '100',
      categories: ['sport'],
      validFrom: '2027-01-01T00:00:00Z',
      validUntil: '2027-12-31T00:00:00Z',
    };
    const tooMuch = await app.inject({
      method: 'POST',
      url: '/programs',
      headers: bearer(token),
      payload: program,
    });
    expect(validation(tooMuch)).toMatchObject({ location: 'body', path: '/creditOre' });
    const foreignProvider = await app.inject({
      method: 'POST',
      url: '/programs',
      headers: bearer(token),
      payload: { ...program, creditOre: '100', providerIds: [MARKER_ID] },
    });
    expect(validation(foreignProvider)).toMatchObject({ location: 'body', path: '/providerIds/0' });
  });

  it('logs a query the database refused without its parameters, and answers 400, not 500', async () => {
    lines.length = 0;
    const response = await app.inject({ method: 'GET', url: '/test/out-of-range', headers: bearer(token) });
    expect(validation(response)).toMatchObject({ reason: 'OUT_OF_RANGE' });
    const logged = lines.join('');
    expect(logged).toContain('22003');
    expect(logged).not.toContain(String(MARKER_ID));
  });

  it('logs an unexpected database error by SQLSTATE and constraint, without parameters', async () => {
    lines.length = 0;
    const response = await app.inject({ method: 'GET', url: '/test/duplicate', headers: bearer(token) });
    expect(response.statusCode).toBe(500);
    expect(response.json().error.code).toBe('INTERNAL');
    const logged = lines.join('');
    // Positive control: the failure itself is logged, with what helps to find it.
    expect(logged).toContain('unhandled error');
    expect(logged).toContain('23505');
    expect(logged).toContain('staff_users_username_unique');
    expect(logged).not.toContain(MARKER_TEXT);
    expect(logged).not.toContain('"admin"');
  });
});
