import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  insertStaff,
  loginAs,
  MUNICIPALITY_ID,
  PASSWORD,
  type TestApp,
  VALID_PROVIDER,
} from './support/app.ts';

describe('staff login and access tokens', () => {
  let testApp: TestApp;
  let adminToken: string;
  beforeAll(async () => {
    testApp = await createTestApp();
    await insertStaff(testApp, { username: 'admin', role: 'admin' });
    await insertStaff(testApp, { username: 'caseworker', role: 'caseworker' });
    adminToken = await loginAs(testApp, 'admin');
  });
  afterAll(() => testApp.close());

  const login = (username: string, password: string) =>
    testApp.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password } });
  const listProviders = (headers: Record<string, string>) =>
    testApp.app.inject({ method: 'GET', url: '/providers', headers });

  it('issues a 15-minute HS256 token with the role and municipality', async () => {
    const response = await login('admin', PASSWORD);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      tokenType: 'Bearer',
      expiresInSeconds: 900,
      role: 'admin',
      municipalityId: 101,
    });
    const [header, payload] = (body.accessToken as string)
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header.alg).toBe('HS256');
    expect(payload.exp - payload.iat).toBe(900);
    expect(payload).toMatchObject({
      role: 'admin',
      municipalityId: 101,
      aud: 'voucher-api',
      iss: 'voucher-api',
    });
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const unknown = await login('nobody', PASSWORD);
    const wrong = await login('caseworker', 'not-the-password');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(unknown.json().error.code).toBe('LOGIN_FAILED');
  });

  it('rejects a request without a token with 401', async () => {
    const response = await listProviders({});
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('rejects an expired token with 401', async () => {
    const claims = { sub: 'x', role: 'admin' as const, municipalityId: MUNICIPALITY_ID };
    const sign = createSigner({
      key: testApp.config.jwtSecret,
      algorithm: 'HS256',
      aud: 'voucher-api',
      iss: 'voucher-api',
      expiresIn: 15 * 60 * 1000,
      clockTimestamp: Date.now() - 16 * 60 * 1000,
    });
    const expired = sign(claims);
    const fresh = createSigner({
      key: testApp.config.jwtSecret,
      algorithm: 'HS256',
      aud: 'voucher-api',
      iss: 'voucher-api',
      expiresIn: 15 * 60 * 1000,
    });
    // The same signer without the old clock is accepted: only the expiry makes the difference.
    expect((await listProviders(bearer(fresh(claims)))).statusCode).toBe(200);
    expect((await listProviders(bearer(expired))).statusCode).toBe(401);
  });

  it('rejects a token for another audience with 401', async () => {
    const claims = { sub: 'x', role: 'admin' as const, municipalityId: MUNICIPALITY_ID };
    const otherAudience = testApp.app.jwt.sign(claims, { aud: 'another-service' });
    expect((await listProviders(bearer(otherAudience))).statusCode).toBe(401);
  });

  it('requires iss, aud and exp: a token without any of them, or naming another issuer, is 401', async () => {
    const claims = { sub: 'x', role: 'admin' as const, municipalityId: MUNICIPALITY_ID };
    const key = testApp.config.jwtSecret;
    const complete = {
      key,
      algorithm: 'HS256' as const,
      aud: 'voucher-api',
      iss: 'voucher-api',
      expiresIn: 60_000,
    };
    const { aud: _aud, ...withoutAud } = complete;
    const { iss: _iss, ...withoutIss } = complete;
    const { expiresIn: _exp, ...withoutExp } = complete;
    // Positive control: the complete token passes, so each refusal below is the missing claim.
    expect((await listProviders(bearer(createSigner(complete)(claims)))).statusCode).toBe(200);
    for (const [label, options] of Object.entries({
      withoutAud,
      withoutIss,
      withoutExp,
      otherIssuer: { ...complete, iss: 'someone-else' },
      otherAudience: { ...complete, aud: 'another-service' },
    })) {
      const response = await listProviders(bearer(createSigner(options)(claims)));
      expect(response.statusCode, label).toBe(401);
      expect(response.json().error.code, label).toBe('UNAUTHENTICATED');
    }
  });

  it('rejects an unsigned alg:none token with 401', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({
      sub: 'x',
      role: 'admin',
      municipalityId: MUNICIPALITY_ID,
      aud: 'voucher-api',
      iss: 'voucher-api',
      iat: now,
      exp: now + 600,
    })}.`;
    expect((await listProviders(bearer(unsigned))).statusCode).toBe(401);
  });

  it('rejects a token signed with another secret with 401', async () => {
    const sign = createSigner({
      key: 'x'.repeat(40),
      algorithm: 'HS256',
      aud: 'voucher-api',
      iss: 'voucher-api',
    });
    const forged = sign({ sub: 'x', role: 'admin', municipalityId: MUNICIPALITY_ID });
    expect((await listProviders(bearer(forged))).statusCode).toBe(401);
  });

  it('answers 403 when the role may not do this', async () => {
    const token = await loginAs(testApp, 'caseworker');
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/providers',
      headers: bearer(token),
      payload: VALID_PROVIDER,
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('FORBIDDEN');
  });

  it('lets a valid token through', async () => {
    expect((await listProviders(bearer(adminToken))).statusCode).toBe(200);
  });
});
