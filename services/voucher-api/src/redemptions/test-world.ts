import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { REDEMPTION_TYPES, redemptionDomain } from '@voucher/contracts';
import { programs, providers, staffUsers } from '@voucher/db';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { type Hex, hexToBytes } from 'viem';
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { testConfig } from '../../test/support/app.ts';
import { virtualTreasuryKeys } from '../../test/support/demo-treasury-key.ts';
import { buildApp } from '../app.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { ChainGateway } from '../chain/gateway.ts';
import { type ChainFixture, createChainFixture, drainUntilSettled } from '../chain/test-fixture.ts';
import type { DomainDeps } from '../deps.ts';
import { grantProgram } from '../eligibility/grant-program.ts';
import { currentPassText } from '../passes/current-pass-text.ts';
import { signPresentation } from '../passes/presentation.ts';
import { registerDevice } from '../passes/register-device.ts';
import { enrolCitizen } from '../privacy/enrol-citizen.ts';
import { createPairingCode } from '../providers/create-pairing-code.ts';
import { seedDemo } from '../seed/demo.ts';
import { claimsOfUsername } from '../staff/staff-claims.ts';
import { pairingMessage, pairTerminal } from '../terminals/pair-terminal.ts';

/**
 * Test-only: a whole municipality on a throwaway anvil and database (PGlite, or PostgreSQL
 * with TEST_DATABASE_URL), seeded like `npm start` (demo providers and programs), with the
 * HTTP app built on it. Citizens, terminals and passes are made on demand.
 */
export interface RedemptionWorld {
  fixture: ChainFixture;
  gateway: ChainGateway;
  app: FastifyInstance;
  deps: DomainDeps;
  clock: { now: Date | undefined };
  programId(name: string): Promise<bigint>;
  providerId(username: string): Promise<number>;
  staffToken(username: string): Promise<string>;
  /** A citizen enrolled and granted by a caseworker: Demo Kommune's unless another is named. */
  citizen(grantPrograms: string[], options?: { caseworker?: string }): Promise<WorldCitizen>;
  terminal(providerUsername: string): Promise<PrivateKeyAccount>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface WorldCitizen {
  accountId: Hex;
  citizenId: string;
  staticPass: string;
  /** A fresh rotating QR from the citizen's phone, issued `ageMs` ago. */
  rotatingPass(ageMs?: number): string;
  token: string;
}

let personCounter = 0;

export async function createRedemptionWorld(
  options: { config?: Record<string, string> } = {},
): Promise<RedemptionWorld> {
  const fixture = await createChainFixture();
  const gateway = await fixture.gateway();
  const clock: { now: Date | undefined } = { now: undefined };
  const config = testConfig({
    MASTER_KEY: fixture.config.masterKey.toString('hex'),
    REDEMPTION_WAIT_MS: '5000',
    ...options.config,
  });
  // The fixture inserted the test municipality (101), which is also the demo one's id.
  const app = await buildApp({ config, db: fixture.db, chain: gateway, now: () => clock.now ?? new Date() });
  await app.ready();
  const deps = app.deps;
  await seedDemo(deps, { treasuryKeys: virtualTreasuryKeys(config) });
  await drainUntilSettled(gateway, fixture.db);
  const caseworker = await claimsOf(deps, 'demo.caseworker');

  const world: RedemptionWorld = {
    fixture,
    gateway,
    app,
    deps,
    clock,
    async programId(name) {
      const program = await deps.db.query.programs.findFirst({ where: eq(programs.name, name) });
      if (!program) throw new Error(`no program ${name}`);
      return program.id;
    },
    async providerId(username) {
      const staff = await deps.db.query.staffUsers.findFirst({ where: eq(staffUsers.username, username) });
      if (!staff?.providerId) throw new Error(`no provider staff ${username}`);
      return staff.providerId;
    },
    async staffToken(username) {
      return app.jwt.sign(await claimsOf(deps, username));
    },
    async citizen(grantNames, options = {}) {
      const actor = options.caseworker ? await claimsOf(deps, options.caseworker) : caseworker;
      personCounter += 1;
      const i = personCounter;
      const day = String((i % 27) + 1).padStart(2, '0');
      const enrolled = await enrolCitizen(deps, {
        actor,
        cpr: `${day}0185-${i % 4}${String(i % 1000).padStart(3, '0')}`,
        name: 'Testperson Hemmeligsen',
        address: { street: 'Skjultvej 7', postalCode: '9999', city: 'Testby' },
        birthDate: `1985-01-${day}`,
        childrenBirthYears: [2018],
        contact: { email: 'hemmelig@example.invalid' },
        householdIncomeOre: 10_000_000n,
      });
      for (const name of grantNames) {
        await grantProgram(deps, actor, {
          citizenId: enrolled.citizenId,
          programId: await world.programId(name),
        });
      }
      await drainUntilSettled(gateway, fixture.db);
      const accountBytes = Buffer.from(hexToBytes(enrolled.accountId));
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const device = await registerDevice(deps, {
        accountId: accountBytes,
        publicKey: publicKey.export({ format: 'jwk' }),
      });
      return {
        accountId: enrolled.accountId,
        citizenId: enrolled.citizenId,
        staticPass: (await currentPassText(deps, accountBytes)).text,
        rotatingPass: (ageMs = 0) => presentation(privateKey, accountBytes, device.deviceId, ageMs),
        token: app.jwt.sign({
          sub: enrolled.citizenId,
          role: 'citizen',
          municipalityId: actor.municipalityId,
          accountId: enrolled.accountId,
        }),
      };
    },
    async terminal(providerUsername) {
      const account = privateKeyToAccount(generatePrivateKey());
      const providerId = await world.providerId(providerUsername);
      const staff = await claimsOf(deps, providerUsername);
      const { code } = await createPairingCode(deps, { actor: staff, providerId });
      await pairTerminal(deps, {
        pairingCode: code,
        address: account.address,
        label: 'Kasse 1',
        signature: await account.signMessage({ message: pairingMessage(code) }),
      });
      await drainUntilSettled(gateway, fixture.db);
      return account;
    },
    settle: () => drainUntilSettled(gateway, fixture.db),
    async close() {
      await app.close();
      await fixture.close();
    },
  };
  return world;
}

function presentation(key: KeyObject, accountId: Buffer, deviceId: string, ageMs: number): string {
  return signPresentation(key, { accountId, deviceId, issuedAt: new Date(Date.now() - ageMs) });
}

function claimsOf(deps: DomainDeps, username: string): Promise<AccessClaims> {
  return claimsOfUsername(deps.db, username);
}

/** What a scanner does: sign the hub's Redemption struct with the terminal key. */
export async function signRedemption(
  terminal: PrivateKeyAccount,
  chain: { chainId: number; hub: Hex },
  message: {
    id: bigint;
    account: Hex;
    program: bigint;
    provider: number;
    amountOre: bigint;
    deadline: number;
  },
): Promise<Hex> {
  return terminal.signTypedData({
    domain: redemptionDomain(chain.chainId, chain.hub),
    types: REDEMPTION_TYPES,
    primaryType: 'Redemption',
    message,
  });
}

export async function suspendProvider(deps: DomainDeps, providerId: number): Promise<void> {
  await deps.db.update(providers).set({ status: 'suspended' }).where(eq(providers.id, providerId));
}
