import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { passes } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  insertStaff,
  loginAs,
  type TestApp,
  testConfig,
} from '../../../test/support/app.ts';
import { currentPassText } from '../../passes/current-pass-text.ts';
import { passPublicKeyFromJwk } from '../../passes/pass-signing-key.ts';
import { signPresentation } from '../../passes/presentation.ts';
import { verifyStaticPass } from '../../passes/static-pass.ts';
import { enrol, person } from '../citizens/test-helpers.ts';

interface Enrolled {
  citizenId: string;
  accountId: string;
  activationCode: string;
}

describe('activation, devices and pass verification', () => {
  let testApp: TestApp;
  let caseworker: string;
  let scanner: string;
  let karen: Enrolled;
  let ole: Enrolled;
  beforeAll(async () => {
    // The per-client limit on code guesses has its own test below; here it would only get in the way.
    testApp = await createTestApp({ config: testConfig({ LOGIN_RATE_LIMIT_PER_MINUTE: '1000' }) });
    await insertStaff(testApp, { username: 'case', role: 'caseworker' });
    await insertStaff(testApp, { username: 'admin', role: 'admin' });
    caseworker = await loginAs(testApp, 'case');
    scanner = await loginAs(testApp, 'admin');
    karen = (await enrol(testApp, caseworker, person())).json();
    ole = (
      await enrol(testApp, caseworker, person({ cpr: '010170-1235', birthDate: '1970-01-01', name: 'Ole' }))
    ).json();
  });
  afterAll(() => testApp.close());

  const post = (url: string, payload: object, token?: string) =>
    testApp.app.inject({ method: 'POST', url, payload, ...(token ? { headers: bearer(token) } : {}) });
  const activate = (code: string) => post('/activation', { code });
  const verify = (pass: string, token = scanner) => post('/passes/verify', { pass }, token);
  const accountBytes = (hex: string) => Buffer.from(hex.slice(2), 'hex');
  const errorCode = (response: { json(): { error: { code: string } } }) => response.json().error.code;

  async function activatedCitizen(enrolled: Enrolled): Promise<string> {
    const response = await activate(enrolled.activationCode);
    expect(response.statusCode).toBe(200);
    return response.json().accessToken;
  }

  async function registeredPhone(token: string) {
    const keyPair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const jwk = await webcrypto.subtle.exportKey('jwk', keyPair.publicKey);
    const response = await post('/activation/device', { publicKey: jwk }, token);
    expect(response.statusCode).toBe(201);
    const privateKey = await webcrypto.subtle.exportKey('pkcs8', keyPair.privateKey);
    const nodeKey = (await import('node:crypto')).createPrivateKey({
      key: Buffer.from(privateKey),
      format: 'der',
      type: 'pkcs8',
    });
    return { deviceId: response.json().deviceId as string, privateKey: nodeKey };
  }

  describe('POST /activation', () => {
    it('exchanges the code, typed loosely, for a citizen token bound to the account, once', async () => {
      const typed = karen.activationCode.toLowerCase().replace(/-/g, ' ');
      const response = await activate(typed);
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.json()).toMatchObject({ tokenType: 'Bearer', accountId: karen.accountId });
      const claims = testApp.app.jwt.decode<{ role: string; accountId: string }>(response.json().accessToken);
      expect(claims).toMatchObject({ role: 'citizen', accountId: karen.accountId });

      const again = await activate(karen.activationCode);
      expect(again.statusCode).toBe(401);
      expect(errorCode(again)).toBe('ACTIVATION_CODE_INVALID');
    });

    it('refuses a wrong or malformed code', async () => {
      for (const code of ['AAAA-AAAA-AA', '0000-0000-00', 'x']) {
        const response = await activate(code);
        expect(response.statusCode).toBe(401);
        expect(errorCode(response)).toBe('ACTIVATION_CODE_INVALID');
      }
    });

    it('expires codes after 30 days and, after 5 attempts, answers like an unknown code', async () => {
      const enrolled: Enrolled = (
        await enrol(testApp, caseworker, person({ cpr: '020280-1234', birthDate: '1980-02-02', name: 'Lis' }))
      ).json();
      const realNow = testApp.clock.now;
      testApp.clock.now = new Date(realNow.getTime() + 31 * 86_400_000);
      try {
        for (let attempt = 1; attempt <= 5; attempt++) {
          expect(errorCode(await activate(enrolled.activationCode))).toBe('ACTIVATION_CODE_EXPIRED');
        }
        // Locked, the letter answers exactly like a code that never existed.
        const locked = await activate(enrolled.activationCode);
        expect(locked.statusCode).toBe(401);
        expect(locked.json()).toEqual((await activate('ZZZZ-ZZZZ-ZZ')).json());
      } finally {
        testApp.clock.now = realNow;
      }
    });

    it('counts mistyped tries against the letter and then refuses even the right code', async () => {
      const enrolled: Enrolled = (
        await enrol(testApp, caseworker, person({ cpr: '030390-1234', birthDate: '1990-03-03', name: 'Bo' }))
      ).json();
      const canonical = enrolled.activationCode.replace(/-/g, '');
      const wrongTail = (index: number) => {
        const tail = [...canonical.slice(4)].map((symbol, position) =>
          position === index ? (symbol === 'A' ? 'B' : 'A') : symbol,
        );
        return canonical.slice(0, 4) + tail.join('');
      };
      for (let attempt = 0; attempt < 5; attempt++) {
        const response = await activate(wrongTail(attempt));
        expect(response.statusCode).toBe(401);
        expect(errorCode(response)).toBe('ACTIVATION_CODE_INVALID');
      }
      // The right code is refused now, with the very answer an unknown code gets: status, body
      // and headers that matter tell an attacker nothing about which codes exist.
      const locked = await activate(enrolled.activationCode);
      const unknown = await activate('ZZZZ-ZZZZ-ZZ');
      expect(locked.statusCode).toBe(401);
      expect(locked.statusCode).toBe(unknown.statusCode);
      expect(locked.json()).toEqual(unknown.json());
      expect(errorCode(locked)).toBe('ACTIVATION_CODE_INVALID');
      expect(locked.headers['cache-control']).toBe(unknown.headers['cache-control']);

      // A new letter gives a fresh code with fresh attempts.
      const reprinted = await testApp.app.inject({
        method: 'POST',
        url: `/citizens/${enrolled.citizenId}/letter`,
        headers: bearer(caseworker),
      });
      expect(reprinted.statusCode).toBe(200);
      const newCode = /[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}/.exec(reprinted.body)?.[0];
      expect(newCode).toBeDefined();
      expect((await activate(newCode as string)).statusCode).toBe(200);
    });
  });

  describe('printed passes', () => {
    it('verifies the current printed pass, offline with the published key and online with its serial', async () => {
      const { text, serial } = await currentPassText(testApp.app.deps, accountBytes(ole.accountId));
      const keys = await testApp.app.inject({ method: 'GET', url: '/.well-known/voucher-pass-keys.json' });
      expect(keys.statusCode).toBe(200);
      const offline = verifyStaticPass(passPublicKeyFromJwk(keys.json().keys[0]), text);
      expect(offline.serial).toBe(serial);

      const online = await verify(text);
      expect(online.statusCode).toBe(200);
      expect(online.json()).toEqual({
        kind: 'printed',
        accountId: ole.accountId,
        accountStatus: 'active',
        serial: serial.toString(),
      });
    });

    it('makes the old QR fail at once after a reissue, and the new one work', async () => {
      const before = await currentPassText(testApp.app.deps, accountBytes(ole.accountId));
      const reissue = await post(`/citizens/${ole.citizenId}/passes/reissue`, {}, caseworker);
      expect(reissue.statusCode).toBe(201);
      expect(reissue.json().passSerial).not.toBe(before.serial.toString());

      const old = await verify(before.text);
      expect(old.statusCode).toBe(410);
      expect(errorCode(old)).toBe('PASS_REVOKED');
      const after = await currentPassText(testApp.app.deps, accountBytes(ole.accountId));
      expect((await verify(after.text)).statusCode).toBe(200);
      const [oldRow] = await testApp.database.db
        .select()
        .from(passes)
        .where(eq(passes.serial, before.serial));
      expect(oldRow?.status).toBe('revoked');
    });

    it('gives the citizen app its own printed pass as fallback, and the new one after a reissue', async () => {
      const enrolled: Enrolled = (
        await enrol(testApp, caseworker, person({ cpr: '040494-1234', birthDate: '1994-04-04', name: 'Aya' }))
      ).json();
      const token = await activatedCitizen(enrolled);
      const mine = () => testApp.app.inject({ method: 'GET', url: '/me/pass', headers: bearer(token) });
      const first = await mine();
      expect(first.statusCode).toBe(200);
      expect(first.headers['cache-control']).toBe('no-store');
      expect((await verify(first.json().text)).json()).toMatchObject({ accountId: enrolled.accountId });

      await post(`/citizens/${enrolled.citizenId}/passes/reissue`, {}, caseworker);
      const second = await mine();
      expect(second.json().serial).not.toBe(first.json().serial);
      expect((await verify(second.json().text)).statusCode).toBe(200);
      // Staff have no "own" pass.
      const staff = await testApp.app.inject({ method: 'GET', url: '/me/pass', headers: bearer(caseworker) });
      expect(staff.statusCode).toBe(403);
    });

    it('rejects a forged pass and junk', async () => {
      const { text } = await currentPassText(testApp.app.deps, accountBytes(ole.accountId));
      const [prefix, payload, signature = ''] = text.split('.');
      const flipped = `${prefix}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
      expect(errorCode(await verify(flipped))).toBe('PASS_FORGED');
      expect(errorCode(await verify('hello'))).toBe('PASS_MALFORMED');
    });
  });

  describe('phone presentations', () => {
    let citizenToken: string;
    let phone: Awaited<ReturnType<typeof registeredPhone>>;
    beforeAll(async () => {
      const fresh: Enrolled = (
        await enrol(
          testApp,
          caseworker,
          person({ cpr: '030385-1238', birthDate: '1985-03-03', name: 'Mette' }),
        )
      ).json();
      karen = { ...karen, accountId: fresh.accountId, citizenId: fresh.citizenId };
      citizenToken = await activatedCitizen(fresh);
      phone = await registeredPhone(citizenToken);
    });

    const present = (at: Date, accountId = karen.accountId, device = phone) =>
      signPresentation(device.privateKey, {
        accountId: accountBytes(accountId),
        deviceId: device.deviceId,
        issuedAt: at,
      });

    it('accepts a fresh presentation once and rejects its replay', async () => {
      const text = present(testApp.clock.now);
      const first = await verify(text);
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({
        kind: 'phone',
        accountId: karen.accountId,
        accountStatus: 'active',
        deviceId: phone.deviceId,
      });
      const replay = await verify(text);
      expect(replay.statusCode).toBe(409);
      expect(errorCode(replay)).toBe('PRESENTATION_REPLAYED');
    });

    it('renews the citizen session for the phone that holds the key, once per presentation', async () => {
      const text = present(testApp.clock.now);
      const renewed = await post('/activation/session', { presentation: text });
      expect(renewed.statusCode).toBe(200);
      expect(renewed.headers['cache-control']).toBe('no-store');
      const claims = testApp.app.jwt.decode<{ role: string; accountId: string }>(renewed.json().accessToken);
      expect(claims).toMatchObject({ role: 'citizen', accountId: karen.accountId });
      const vouchers = await testApp.app.inject({
        method: 'GET',
        url: '/me/vouchers',
        headers: bearer(renewed.json().accessToken),
      });
      expect(vouchers.statusCode).toBe(200);

      expect(errorCode(await post('/activation/session', { presentation: text }))).toBe(
        'PRESENTATION_REPLAYED',
      );
      const stale = await post('/activation/session', {
        presentation: present(new Date(testApp.clock.now.getTime() - 120_000)),
      });
      expect(stale.statusCode).toBe(401);
      // A printed pass is not a key: anyone who saw the letter could photograph it.
      const printed = await currentPassText(testApp.app.deps, accountBytes(karen.accountId));
      expect(errorCode(await post('/activation/session', { presentation: printed.text }))).toBe(
        'PASS_MALFORMED',
      );
    });

    it('rejects a presentation older than 60 seconds', async () => {
      const text = present(new Date(testApp.clock.now.getTime() - 61_000));
      const response = await verify(text);
      expect(response.statusCode).toBe(401);
      expect(errorCode(response)).toBe('PRESENTATION_EXPIRED');
    });

    it("rejects a presentation for another citizen's account, and an unregistered device", async () => {
      const forOle = await verify(present(testApp.clock.now, ole.accountId));
      expect(errorCode(forOle)).toBe('DEVICE_UNKNOWN');
      const stranger = { deviceId: '00000000-0000-4000-8000-000000000000', privateKey: phone.privateKey };
      expect(errorCode(await verify(present(testApp.clock.now, karen.accountId, stranger)))).toBe(
        'DEVICE_UNKNOWN',
      );
    });

    it('rejects a presentation signed by a key other than the registered one', async () => {
      const impostor = {
        deviceId: phone.deviceId,
        privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
      };
      const response = await verify(present(testApp.clock.now, karen.accountId, impostor));
      expect(errorCode(response)).toBe('PASS_FORGED');
    });

    it('refuses a bad device key and unknown fields', async () => {
      const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({
        format: 'der',
        type: 'spki',
      });
      const bad = await post('/activation/device', { publicKey: p384.toString('base64') }, citizenToken);
      expect(bad.statusCode).toBe(400);
      expect(errorCode(bad)).toBe('DEVICE_KEY_INVALID');
      const extra = await post('/activation/device', { publicKey: 'x', admin: true }, citizenToken);
      expect(errorCode(extra)).toBe('VALIDATION_FAILED');
    });

    it('keeps citizens out of staff routes and staff out of citizen routes', async () => {
      const asCitizen = await testApp.app.inject({
        method: 'GET',
        url: `/citizens/${karen.citizenId}`,
        headers: bearer(citizenToken),
      });
      expect(asCitizen.statusCode).toBe(403);
      expect((await verify('VP1.x.y', citizenToken)).statusCode).toBe(403);
      expect((await post('/activation/device', { publicKey: 'x' }, caseworker)).statusCode).toBe(403);
      expect((await post('/activation/device', { publicKey: 'x' })).statusCode).toBe(401);
    });
  });
});

describe('guessing activation codes', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({ config: testConfig({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' }) });
  });
  afterAll(() => testApp.close());

  it('is rate limited per client', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await testApp.app.inject({
        method: 'POST',
        url: '/activation',
        payload: { code: 'ABCD-EFGH-JK' },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('answers every activation request with Cache-Control: no-store, refusals included', async () => {
    const refused = await testApp.app.inject({
      method: 'POST',
      url: '/activation/session',
      payload: { presentation: 'VR1.junk' },
    });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.headers['cache-control']).toBe('no-store');
  });
});
