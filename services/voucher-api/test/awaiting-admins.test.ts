import { ROLE, voucherHubAbi } from '@voucher/contracts';
import type { FastifyInstance } from 'fastify';
import { createWalletClient, type Hex, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { ANVIL_DEV_ADMIN_KEY, ANVIL_DEV_OPERATOR_KEY } from '../src/chain/config.ts';
import {
  createSettlementWorld,
  type SettlementWorld,
} from '../src/routes/settlements/test-settlement-world.ts';
import { claimsOfUsername } from '../src/staff/staff-claims.ts';
import { testConfig } from './support/app.ts';
import { type OfficerSigning, officerSigning } from './support/officer-signing.ts';

const DEMO = 101;

/**
 * On a real network the service is admin of nothing: an officer's new passkey gets its roles
 * only when the municipality's named admins grant them through their timelock. The service
 * queues no grant, lists what waits for the admins (with the call they schedule), and answers
 * PASSKEY_AWAITING_ADMINS to a signature from a key not yet approved, instead of relaying it.
 */
describe("officers' passkeys wait for the municipality's named admins", () => {
  let s: SettlementWorld;
  /** The API as configured on a real network: RPC_URL and the operator key, no development admin. */
  let named: FastifyInstance;
  let signing: OfficerSigning;
  /** Stands in for the admins' timelock executing what they scheduled. */
  let timelockExecutes: (call: { to: Hex; data: Hex }) => Promise<void>;

  const token = (username: string) =>
    claimsOfUsername(s.world.deps.db, username).then((c) => named.jwt.sign(c));
  const awaiting = async () => {
    const response = await named.inject({
      method: 'GET',
      url: '/staff/passkeys/awaiting-admins',
      headers: { authorization: `Bearer ${await token('demo.admin')}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    return response.json().awaiting as {
      passkeyId: string;
      username: string;
      address: string;
      change: string;
      role: string;
      call: { to: Hex; data: Hex };
    }[];
  };
  const holds = (role: Hex, account: Hex) =>
    s.world.gateway.publicClient.readContract({
      address: s.world.gateway.addresses.hub,
      abi: voucherHubAbi,
      functionName: 'hasMunicipalRole',
      args: [DEMO, role, account],
    });

  beforeAll(async () => {
    s = await createSettlementWorld();
    const { fixture } = s.world;
    const config = testConfig({
      MASTER_KEY: fixture.config.masterKey.toString('hex'),
      RPC_URL: fixture.config.rpcUrl as string,
      DEPLOYMENT_FILE: fixture.config.deploymentFile,
      OPERATOR_PRIVATE_KEY: ANVIL_DEV_OPERATOR_KEY,
    });
    named = await buildApp({ config, db: fixture.db, chain: s.world.gateway });
    await named.ready();
    signing = officerSigning({ app: named, db: fixture.db, gateway: s.world.gateway, token });
    const admin = createWalletClient({
      account: privateKeyToAccount(ANVIL_DEV_ADMIN_KEY),
      transport: http(s.world.gateway.rpcUrl),
    });
    timelockExecutes = async (call) => {
      const hash = await admin.sendTransaction({ to: call.to, data: call.data, chain: null });
      const receipt = await s.world.gateway.publicClient.waitForTransactionReceipt({ hash });
      expect(receipt.status).toBe('success');
    };
  }, 180_000);
  afterAll(async () => {
    await named?.close();
    await s?.close();
  });

  it('queues no grant: the key waits, and a signature with it is refused before anything is relayed', async () => {
    const officer = await signing.officer('demo.finance1');
    expect(await holds(ROLE.financeOfficer, officer.address)).toBe(false);
    const list = (await awaiting()).filter((item) => item.passkeyId === officer.passkeyId);
    expect(list.map((item) => [item.change, item.role]).sort()).toEqual([
      ['grant', 'FINANCE_OFFICER_ROLE'],
      ['grant', 'TREASURY_ROLE'],
    ]);
    expect(list[0]?.username).toBe('demo.finance1');
    expect(list[0]?.call.to.toLowerCase()).toBe(s.world.gateway.addresses.hub.toLowerCase());

    const step = await signing.signedStep('demo.finance1', '/periods/close/challenge', '/periods/close', {
      periodId: 1,
    });
    expect(step.response.statusCode, step.response.body).toBe(409);
    expect(step.response.json().error.code).toBe('PASSKEY_AWAITING_ADMINS');
    expect(step.response.json().error.message).toMatch(/admins to approve/);
  });

  it('takes the key once the admins executed the grants, and lists the revocation after the key is revoked', async () => {
    const officer = await signing.officer('demo.finance1');
    for (const item of (await awaiting()).filter((entry) => entry.passkeyId === officer.passkeyId)) {
      await timelockExecutes(item.call);
    }
    expect(await holds(ROLE.financeOfficer, officer.address)).toBe(true);
    expect((await awaiting()).filter((item) => item.passkeyId === officer.passkeyId)).toEqual([]);
    const step = await signing.signedStep('demo.finance1', '/periods/close/challenge', '/periods/close', {
      periodId: 1,
    });
    expect(step.response.statusCode, step.response.body).toBe(200);

    const revoked = await named.inject({
      method: 'DELETE',
      url: `/staff/me/passkeys/${officer.passkeyId}`,
      headers: { authorization: `Bearer ${officer.token}` },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const revocations = (await awaiting()).filter((item) => item.passkeyId === officer.passkeyId);
    expect(revocations.map((item) => item.change)).toEqual(['revoke', 'revoke']);
    for (const item of revocations) await timelockExecutes(item.call);
    expect(await holds(ROLE.financeOfficer, officer.address)).toBe(false);
    expect(await awaiting()).toEqual([]);
  });

  it('is the admin’s list only', async () => {
    const response = await named.inject({
      method: 'GET',
      url: '/staff/passkeys/awaiting-admins',
      headers: { authorization: `Bearer ${await token('demo.finance2')}` },
    });
    expect(response.statusCode).toBe(403);
  });
});
