import { randomBytes } from 'node:crypto';
import { auditLog, executedRows, staffPasskeys, staffUsers } from '@voucher/db';
import { eq, sql } from 'drizzle-orm';
import { type Hex, keccak256, toHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  insertStaff,
  loginAs,
  OTHER_MUNICIPALITY_ID,
  type TestApp,
  testConfig,
} from '../../../test/support/app.ts';
import { VirtualPasskey } from '../../../test/support/virtual-passkey.ts';
import type { AccessClaims } from '../../auth/claims.ts';
import type { DomainDeps } from '../../deps.ts';
import { AppError } from '../../errors/app-error.ts';
import { originAllowed } from '../../passkeys/origins.ts';
import { passkeyChainAddress, verifyWebAuthnAuth } from '../../passkeys/p256-key.ts';
import { verifyStaffAssertion } from '../../passkeys/verify-staff-assertion.ts';
import { withTenant } from '../../tenancy/with-tenant.ts';

const ORIGIN = 'http://localhost:3000';
const RP_ID = 'localhost';

describe('staff passkeys', () => {
  let testApp: TestApp;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    testApp = await createTestApp({ config: testConfig({ WEBAUTHN_ALLOW_DEVELOPMENT_KEYS: 'true' }) });
    for (const [username, role, municipalityId] of [
      ['anne.finance', 'finance', undefined],
      ['bo.finance', 'finance', undefined],
      ['the.admin', 'admin', undefined],
      ['case.worker', 'caseworker', undefined],
      ['other.admin', 'admin', OTHER_MUNICIPALITY_ID],
      ['other.finance', 'finance', OTHER_MUNICIPALITY_ID],
    ] as const) {
      await insertStaff(testApp, { username, role, municipalityId });
      tokens[username] = await loginAs(testApp, username);
      const [row] = await testApp.database.db
        .select({ id: staffUsers.id })
        .from(staffUsers)
        .where(eq(staffUsers.username, username));
      ids[username] = row?.id ?? '';
    }
  });
  afterAll(() => testApp.close());

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, username: string, payload?: object) =>
    testApp.app.inject({ method, url, headers: bearer(tokens[username] ?? ''), payload });

  async function registrationOptions(username: string) {
    const response = await call('POST', '/staff/me/passkeys/registration-options', username, {});
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  async function enrolPasskey(username: string, deviceName = 'Annes bærbare') {
    const passkey = new VirtualPasskey({ rpId: RP_ID, origin: ORIGIN });
    const { options } = await registrationOptions(username);
    const response = await call('POST', '/staff/me/passkeys', username, {
      deviceName,
      response: passkey.register(options.challenge),
    });
    expect(response.statusCode, response.body).toBe(201);
    return { passkey, view: response.json() };
  }

  function deps(): DomainDeps {
    return {
      config: testApp.config,
      db: testApp.database.db,
      now: () => testApp.clock.now,
      chain: undefined,
    };
  }

  function claims(username: string, role: AccessClaims['role'], municipalityId = 101): AccessClaims {
    return { sub: ids[username] ?? '', role, municipalityId };
  }

  describe('enrolling a passkey (WebAuthn registration, attestation none)', () => {
    it('asks the browser for ES256 only with user verification, for the console origin', async () => {
      const { options, allowDevelopmentKeys } = await registrationOptions('anne.finance');
      expect(options.rp).toEqual({ id: RP_ID, name: 'Kommunale værdikuponer' });
      expect(options.pubKeyCredParams).toEqual([{ alg: -7, type: 'public-key' }]);
      expect(options.authenticatorSelection).toMatchObject({ userVerification: 'required' });
      expect(options.attestation).toBe('none');
      expect(Buffer.from(options.challenge, 'base64url')).toHaveLength(32);
      expect(allowDevelopmentKeys).toBe(true);
    });

    it('verifies the registration and stores the key under its chain address', async () => {
      const { passkey, view } = await enrolPasskey('anne.finance');
      expect(view).toMatchObject({
        credentialId: passkey.credentialId,
        deviceName: 'Annes bærbare',
        kind: 'passkey',
        transports: ['internal'],
        lastUsedAt: null,
        revokedAt: null,
      });
      expect(view.address).toBe(passkeyChainAddress(passkey));
      const [row] = await testApp.database.db
        .select()
        .from(staffPasskeys)
        .where(eq(staffPasskeys.id, view.id));
      expect(row?.publicKeyX.equals(passkey.x)).toBe(true);
      expect(row?.publicKeyY.equals(passkey.y)).toBe(true);
      expect(row?.signCount).toBe(1);

      const list = await call('GET', '/staff/me/passkeys', 'anne.finance');
      expect(list.json()).toMatchObject({ rpId: RP_ID, allowDevelopmentKeys: true });
      expect(list.json().passkeys.map((key: { id: string }) => key.id)).toContain(view.id);
    });

    it('audits the enrolment by ids, never the device name', async () => {
      const { view } = await enrolPasskey('bo.finance', 'Bos telefon');
      const [entry] = await testApp.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.subjectId, view.id));
      expect(entry).toMatchObject({ action: 'staff.passkey.enrolled', actorId: ids['bo.finance'] });
      expect(entry?.details).toEqual({
        staffUserId: ids['bo.finance'],
        kind: 'passkey',
        chainAddress: view.address.toLowerCase(),
      });
      expect(JSON.stringify(entry?.details)).not.toContain('Bos telefon');
    });

    it('uses a challenge once, refuses it after it expires, and refuses the same key twice', async () => {
      const passkey = new VirtualPasskey({ rpId: RP_ID, origin: ORIGIN });
      const { options } = await registrationOptions('case.worker');
      const response = passkey.register(options.challenge);
      const first = await call('POST', '/staff/me/passkeys', 'case.worker', { deviceName: 'PC', response });
      expect(first.statusCode).toBe(201);
      const replay = await call('POST', '/staff/me/passkeys', 'case.worker', { deviceName: 'PC', response });
      expect(replay.json().error.code).toBe('PASSKEY_CHALLENGE_INVALID');

      const again = await registrationOptions('case.worker');
      expect(again.options.excludeCredentials).toEqual([
        { id: passkey.credentialId, type: 'public-key', transports: ['internal'] },
      ]);
      const twice = await call('POST', '/staff/me/passkeys', 'case.worker', {
        deviceName: 'PC',
        response: passkey.register(again.options.challenge),
      });
      expect(twice.statusCode).toBe(409);
      expect(twice.json().error.code).toBe('PASSKEY_ALREADY_ENROLLED');

      const late = await registrationOptions('case.worker');
      testApp.clock.now = new Date(testApp.clock.now.getTime() + 301_000);
      try {
        const expired = await call('POST', '/staff/me/passkeys', 'case.worker', {
          deviceName: 'PC',
          response: new VirtualPasskey({ rpId: RP_ID, origin: ORIGIN }).register(late.options.challenge),
        });
        expect(expired.json().error.code).toBe('PASSKEY_CHALLENGE_INVALID');
      } finally {
        testApp.clock.now = new Date();
      }
    });

    it("refuses another person's challenge, another origin, another relying party and other algorithms", async () => {
      const anne = await registrationOptions('anne.finance');
      const theirs = await call('POST', '/staff/me/passkeys', 'bo.finance', {
        deviceName: 'PC',
        response: new VirtualPasskey({ rpId: RP_ID, origin: ORIGIN }).register(anne.options.challenge),
      });
      expect(theirs.json().error.code).toBe('PASSKEY_CHALLENGE_INVALID');

      for (const [passkey, overrides] of [
        [new VirtualPasskey({ rpId: RP_ID, origin: 'http://evil.localhost:3000' }), {}],
        [new VirtualPasskey({ rpId: 'evil.example', origin: ORIGIN }), {}],
        [new VirtualPasskey({ rpId: RP_ID, origin: ORIGIN }), { algorithm: -8 }],
        [new VirtualPasskey({ rpId: RP_ID, origin: ORIGIN }), { flags: 0x41 }],
      ] as const) {
        const { options } = await registrationOptions('anne.finance');
        const response = await call('POST', '/staff/me/passkeys', 'anne.finance', {
          deviceName: 'PC',
          response: passkey.register(options.challenge, overrides),
        });
        expect(response.statusCode, response.body).toBe(400);
        expect(response.json().error.code).toBe('PASSKEY_REGISTRATION_INVALID');
        expect(response.body).not.toContain(options.challenge);
      }
    });

    it('refuses an empty or control-character device name before anything is used', async () => {
      const { options } = await registrationOptions('anne.finance');
      const passkey = new VirtualPasskey({ rpId: RP_ID, origin: ORIGIN });
      for (const deviceName of ['   ', 'a\u0007b', 'x'.repeat(65)]) {
        const response = await call('POST', '/staff/me/passkeys', 'anne.finance', {
          deviceName,
          response: passkey.register(options.challenge),
        });
        expect(response.statusCode).toBe(400);
        expect(response.json().error.code).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('development keys', () => {
    async function enrolDevelopmentKey(app: TestApp, token: string, signer?: VirtualPasskey) {
      const key = new VirtualPasskey({ rpId: RP_ID, origin: ORIGIN });
      const options = await app.app.inject({
        method: 'POST',
        url: '/staff/me/passkeys/registration-options',
        headers: bearer(token),
        payload: {},
      });
      const challenge = Buffer.from(options.json().options.challenge, 'base64url');
      const { credentialId: _ignored, ...assertion } = (signer ?? key).sign(new Uint8Array(challenge));
      return app.app.inject({
        method: 'POST',
        url: '/staff/me/passkeys',
        headers: bearer(token),
        payload: {
          kind: 'development',
          deviceName: 'Udviklingsnøgle',
          publicKey: { ...key.jwk, ext: true, key_ops: ['verify'] },
          assertion,
        },
      });
    }

    it('enrols a WebCrypto-style key that proves itself with a WebAuthn-format assertion', async () => {
      const response = await enrolDevelopmentKey(testApp, tokens['the.admin'] ?? '');
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json()).toMatchObject({ kind: 'development', deviceName: 'Udviklingsnøgle' });
      expect(response.json().credentialId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    });

    it('refuses a proof signed by another key', async () => {
      const response = await enrolDevelopmentKey(
        testApp,
        tokens['the.admin'] ?? '',
        new VirtualPasskey({ rpId: RP_ID, origin: ORIGIN }),
      );
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({
        code: 'PASSKEY_ASSERTION_INVALID',
        details: { problem: 'signature' },
      });
    });

    it('is refused with a stable code where development keys are off (production)', async () => {
      const production = await createTestApp({ config: testConfig() });
      try {
        expect(production.config.webauthn.allowDevelopmentKeys).toBe(false);
        await insertStaff(production, { username: 'prod.finance', role: 'finance' });
        const response = await enrolDevelopmentKey(production, await loginAs(production, 'prod.finance'));
        expect(response.statusCode).toBe(403);
        expect(response.json().error.code).toBe('PASSKEY_DEVELOPMENT_KEY_REFUSED');
        expect(
          (
            await production.app.inject({
              method: 'GET',
              url: '/staff/me/passkeys',
              headers: bearer(await loginAs(production, 'prod.finance')),
            })
          ).json().allowDevelopmentKeys,
        ).toBe(false);
      } finally {
        await production.close();
      }
    });
  });

  describe('revoking and the admin view', () => {
    it('revokes one of my keys once, and answers 404 for somebody else’s', async () => {
      const { view } = await enrolPasskey('bo.finance', 'Gammel telefon');
      const others = await call('DELETE', `/staff/me/passkeys/${view.id}`, 'anne.finance');
      expect(others.statusCode).toBe(404);
      const revoked = await call('DELETE', `/staff/me/passkeys/${view.id}`, 'bo.finance');
      expect(revoked.statusCode, revoked.body).toBe(200);
      expect(revoked.json().revokedAt).not.toBeNull();
      const again = await call('DELETE', `/staff/me/passkeys/${view.id}`, 'bo.finance');
      expect(again.json().revokedAt).toBe(revoked.json().revokedAt);
      const audits = await testApp.database.db.select().from(auditLog).where(eq(auditLog.subjectId, view.id));
      expect(audits.map((entry) => entry.action)).toEqual([
        'staff.passkey.enrolled',
        'staff.passkey.revoked',
      ]);
    });

    it("shows an officer's keys to their own admin only", async () => {
      const mine = await call('GET', `/staff/${ids['anne.finance']}/passkeys`, 'the.admin');
      expect(mine.statusCode, mine.body).toBe(200);
      expect(mine.json().passkeys.length).toBeGreaterThan(0);
      expect(mine.json().passkeys[0]).not.toHaveProperty('publicKeyX');
      const neighbours = await call('GET', `/staff/${ids['anne.finance']}/passkeys`, 'other.admin');
      expect(neighbours.statusCode).toBe(404);
      const missing = await call('GET', `/staff/${crypto.randomUUID()}/passkeys`, 'the.admin');
      expect(missing.statusCode).toBe(404);
      const caseworker = await call('GET', `/staff/${ids['anne.finance']}/passkeys`, 'case.worker');
      expect(caseworker.statusCode).toBe(403);
    });

    it('keeps another municipality out of the table even without a filter (row-level security)', async () => {
      await enrolPasskey('other.finance', 'Nabo-pc');
      const seen = await withTenant(deps(), claims('other.admin', 'admin', OTHER_MUNICIPALITY_ID), ({ db }) =>
        db.execute(sql`SELECT DISTINCT municipality_id FROM staff_passkeys`),
      );
      const rows = executedRows<{ municipality_id: number }>(seen);
      expect(rows.map((row) => row.municipality_id)).toEqual([OTHER_MUNICIPALITY_ID]);
    });
  });

  describe('verifyStaffAssertion (the building block for signed approvals)', () => {
    const digest: Hex = keccak256(toHex(`approve ${randomBytes(4).toString('hex')}`));

    it("accepts the officer's own key over the digest and returns what goes on chain", async () => {
      const { passkey, view } = await enrolPasskey('anne.finance', 'Signerer');
      const verified = await verifyStaffAssertion(deps(), {
        actor: claims('anne.finance', 'finance'),
        digest,
        assertion: passkey.sign(digest, { s: 'high' }),
      });
      expect(verified.address).toBe(view.address);
      expect(verified.qx).toBe(`0x${passkey.x.toString('hex')}`);
      expect(verifyWebAuthnAuth(verified.auth, passkey)).toBe(true);
      expect(verified.encoded).toMatch(/^0x[0-9a-f]+$/);
      const [row] = await testApp.database.db
        .select()
        .from(staffPasskeys)
        .where(eq(staffPasskeys.id, view.id));
      expect(row?.lastUsedAt).not.toBeNull();

      const replay = passkey.sign(digest);
      await verifyStaffAssertion(deps(), {
        actor: claims('anne.finance', 'finance'),
        digest,
        assertion: replay,
      });
      await expect(
        verifyStaffAssertion(deps(), { actor: claims('anne.finance', 'finance'), digest, assertion: replay }),
      ).rejects.toMatchObject({ code: 'PASSKEY_ASSERTION_INVALID', details: { problem: 'counter' } });
    });

    it("refuses another officer's key, a revoked key and a signature over another digest", async () => {
      const { passkey, view } = await enrolPasskey('anne.finance', 'Snart spærret');
      await expect(
        verifyStaffAssertion(deps(), {
          actor: claims('bo.finance', 'finance'),
          digest,
          assertion: passkey.sign(digest),
        }),
      ).rejects.toMatchObject({ code: 'PASSKEY_NOT_ENROLLED' });
      await expect(
        verifyStaffAssertion(deps(), {
          actor: claims('anne.finance', 'finance'),
          digest,
          assertion: passkey.sign(keccak256(toHex('something else'))),
        }),
      ).rejects.toMatchObject({ code: 'PASSKEY_ASSERTION_INVALID', details: { problem: 'challenge' } });
      await call('DELETE', `/staff/me/passkeys/${view.id}`, 'anne.finance');
      await expect(
        verifyStaffAssertion(deps(), {
          actor: claims('anne.finance', 'finance'),
          digest,
          assertion: passkey.sign(digest),
        }),
      ).rejects.toBeInstanceOf(AppError);
    });
  });
});

describe('webauthn configuration', () => {
  it('defaults to the public URL, and allows development keys only on the embedded database', () => {
    // An empty DATABASE_URL counts as unset: the embedded database, as on a developer's machine.
    const embedded = testConfig({ DATABASE_URL: '', PUBLIC_URL: 'http://localhost:3000' }).webauthn;
    expect(embedded).toMatchObject({ rpId: 'localhost', allowDevelopmentKeys: true });
    expect(embedded.origins).toEqual(['http://localhost:3000', 'http://localhost:5173']);
    // A demo stack on PORT=0 learns its port only when it listens.
    expect(originAllowed(embedded, 'http://localhost:41234')).toBe(true);
    expect(originAllowed(embedded, 'http://localhost.evil.example:41234')).toBe(false);
    const production = testConfig({ PUBLIC_URL: 'https://vouchers.aarhus.dk' }).webauthn;
    expect(production).toMatchObject({
      rpId: 'vouchers.aarhus.dk',
      origins: ['https://vouchers.aarhus.dk'],
      allowDevelopmentKeys: false,
    });
    expect(originAllowed(production, 'https://vouchers.aarhus.dk')).toBe(true);
    expect(originAllowed(production, 'http://localhost:3000')).toBe(false);
  });

  it('refuses an origin outside the relying party and warns when production allows development keys', () => {
    expect(() =>
      testConfig({
        WEBAUTHN_RP_ID: 'aarhus.dk',
        WEBAUTHN_ORIGINS: 'https://konsol.aarhus.dk,https://evil.example',
      }),
    ).toThrow(/evil\.example is not on WEBAUTHN_RP_ID aarhus\.dk/);
    expect(() => testConfig({ WEBAUTHN_ORIGINS: 'https://localhost/console/' })).toThrow(/no path/);
    const allowed = testConfig({ WEBAUTHN_ALLOW_DEVELOPMENT_KEYS: 'true' });
    expect(allowed.warnings.join('\n')).toMatch(/WEBAUTHN_ALLOW_DEVELOPMENT_KEYS is on with DATABASE_URL/);
  });
});
