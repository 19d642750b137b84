import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRedemptionWorld,
  type RedemptionWorld,
  type WorldCitizen,
} from '../../redemptions/test-world.ts';

const PER_PROVIDER = 12;
const PER_PASS = 3;

/** POST /scans beyond the per-IP budget: per provider and per pass a minute, 429 with Retry-After. */
describe('scan limits per provider and per pass', () => {
  let world: RedemptionWorld;
  let sportToken: string;
  let cultureToken: string;
  let citizens: WorldCitizen[];
  beforeAll(async () => {
    world = await createRedemptionWorld({
      config: {
        SCAN_LIMIT_PER_PROVIDER_PER_MINUTE: String(PER_PROVIDER),
        SCAN_LIMIT_PER_PASS_PER_MINUTE: String(PER_PASS),
      },
    });
    sportToken = await world.staffToken('demo.sport');
    cultureToken = await world.staffToken('demo.culture');
    citizens = [];
    for (let i = 0; i < 6; i++) citizens.push(await world.citizen([]));
  }, 180_000);
  afterAll(() => world?.close());

  const scan = (pass: string, token: string, language = 'en') =>
    world.app.inject({
      method: 'POST',
      url: '/scans',
      headers: { authorization: `Bearer ${token}`, 'accept-language': language },
      payload: { pass },
    });

  function expectLimited(response: Awaited<ReturnType<typeof scan>>, code: string) {
    expect(response.statusCode, response.body).toBe(429);
    expect(response.json().error.code).toBe(code);
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
  }

  it('refuses a pass scanned too often, in Danish and English, while other passes and providers go on', async () => {
    const [often, other] = citizens as [WorldCitizen, WorldCitizen];
    for (let i = 0; i < PER_PASS; i++)
      expect((await scan(often.staticPass, cultureToken)).statusCode).toBe(200);
    const refused = await scan(often.rotatingPass(), cultureToken);
    expectLimited(refused, 'SCAN_LIMIT_PASS');
    expect(refused.json().error.message).toMatch(/scanned too many times/);
    const danish = await scan(often.staticPass, cultureToken, 'da');
    expectLimited(danish, 'SCAN_LIMIT_PASS');
    expect(danish.json().error.message).toMatch(/scannet for mange gange/);
    // The same pass at another provider is the same pass: still refused there.
    expectLimited(await scan(often.staticPass, sportToken), 'SCAN_LIMIT_PASS');
    // Another citizen's pass at the same provider is unaffected.
    expect((await scan(other.staticPass, cultureToken)).statusCode).toBe(200);
  });

  it('does not count a forged QR against the account it names', async () => {
    const [, , victim] = citizens as [WorldCitizen, WorldCitizen, WorldCitizen];
    const [prefix, payload] = victim.staticPass.split('.') as [string, string, string];
    const forged = `${prefix}.${payload}.${Buffer.alloc(64).toString('base64url')}`;
    for (let i = 0; i < PER_PASS + 1; i++)
      expect((await scan(forged, cultureToken)).statusCode).not.toBe(200);
    expect((await scan(victim.staticPass, cultureToken)).statusCode).toBe(200);
  });

  it('refuses a provider that scans too many passes a minute, while another provider goes on', async () => {
    // Every attempt counts for the provider, also one refused for its pass; sport made one above.
    const passes = citizens.slice(2, 5).map((citizen) => citizen.staticPass);
    for (let attempt = 1; attempt < PER_PROVIDER; attempt++) {
      const response = await scan(passes[attempt % passes.length] as string, sportToken);
      if (response.statusCode !== 200) expectLimited(response, 'SCAN_LIMIT_PASS');
    }
    const fresh = citizens[5] as WorldCitizen;
    const refused = await scan(fresh.rotatingPass(), sportToken, 'da');
    expectLimited(refused, 'SCAN_LIMIT_PROVIDER');
    expect(refused.json().error.message).toMatch(/scannet for mange pas/);
    // The culture house scans the very same pass at once.
    expect((await scan(fresh.staticPass, cultureToken)).statusCode).toBe(200);
  });
});
