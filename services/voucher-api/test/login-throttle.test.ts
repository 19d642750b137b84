import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, insertStaff, PASSWORD, type TestApp, testConfig } from './support/app.ts';

const ATTACKER = '203.0.113.7';
const OFFICE = '198.51.100.20';

/**
 * Wrong passwords never lock an account (anyone could lock the finance team out at month
 * end): the client that keeps failing for a username waits longer and longer, and the owner
 * signs in from elsewhere as usual.
 */
describe('sign-in: progressive delays per username and client instead of a lockout', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    // The per-minute cap on login requests has its own test; here only the delays count.
    testApp = await createTestApp({ config: testConfig({ LOGIN_RATE_LIMIT_PER_MINUTE: '1000' }) });
    await insertStaff(testApp, { username: 'finance.anna', role: 'finance' });
  });
  afterAll(() => testApp.close());

  const login = (username: string, password: string, from: string) =>
    testApp.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username, password },
      remoteAddress: from,
      headers: { 'accept-language': 'en' },
    });
  const later = (seconds: number) => {
    testApp.clock.now = new Date(testApp.clock.now.getTime() + seconds * 1000);
  };

  it("slows the attacker's own tries more and more, while the owner signs in from another address at once", async () => {
    const waits: number[] = [];
    // Three free mistakes; the fourth starts the waits: 1 s, then 2 s, 4 s, 8 s.
    for (let attempt = 1; attempt <= 4; attempt++) {
      const wrong = await login('finance.anna', 'guess-number-x', ATTACKER);
      expect(wrong.statusCode, `attempt ${attempt}`).toBe(401);
      expect(wrong.json().error.code).toBe('LOGIN_FAILED');
    }
    for (let round = 0; round < 4; round++) {
      const refused = await login('finance.anna', PASSWORD, ATTACKER);
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe('LOGIN_DELAYED');
      expect(refused.json().error.message).toMatch(/Wait a little/);
      const wait = Number(refused.headers['retry-after']);
      waits.push(wait);
      // The real user, at the office, is never slowed by the attacker's failures.
      expect((await login('finance.anna', PASSWORD, OFFICE)).statusCode).toBe(200);
      later(wait);
      expect((await login('finance.anna', 'guess-again', ATTACKER)).statusCode).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8]);
    // Even the right password is not tried while the attacker's address waits.
    const waiting = await login('finance.anna', PASSWORD, ATTACKER);
    expect(waiting.statusCode).toBe(429);
    expect(Number(waiting.headers['retry-after'])).toBe(16);
  });

  it('answers an unknown username exactly like a known one, wrong and delayed alike', async () => {
    const answers = async (username: string) => {
      const seen: { status: number; body: unknown; retryAfter: unknown }[] = [];
      for (let attempt = 0; attempt < 5; attempt++) {
        const response = await login(username, 'wrong-password-1', '192.0.2.50');
        seen.push({
          status: response.statusCode,
          body: response.json(),
          retryAfter: response.headers['retry-after'],
        });
      }
      return seen;
    };
    const known = await answers('finance.anna');
    const unknown = await answers('nobody.here');
    expect(known.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 429]);
    expect(unknown).toEqual(known);
  });

  it('counts an IPv6 client by its /64, so hopping addresses in it does not start afresh', async () => {
    for (let host = 1; host <= 4; host++) {
      expect((await login('finance.anna', 'wrong-password-3', `2001:db8:aa:bb::${host}`)).statusCode).toBe(
        401,
      );
    }
    expect((await login('finance.anna', PASSWORD, '2001:db8:aa:bb::99')).statusCode).toBe(429);
    expect((await login('finance.anna', PASSWORD, '2001:db8:aa:cc::1')).statusCode).toBe(200);
  });

  it('forgets the failures once the client stays away long enough', async () => {
    const from = '192.0.2.77';
    for (let attempt = 0; attempt < 6; attempt++) await login('finance.anna', 'wrong-password-2', from);
    expect((await login('finance.anna', PASSWORD, from)).statusCode).toBe(429);
    later(31 * 60);
    expect((await login('finance.anna', PASSWORD, from)).statusCode).toBe(200);
  });
});
