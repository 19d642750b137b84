import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ekroneAbi, ROLE, readDeployment, voucherHubAbi } from '@voucher/contracts';
import { type Address, createTestClient, createWalletClient, type Hex, http } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChainPublicClient, describeChain } from '../src/chain/clients.ts';
import { ANVIL_DEV_ADMIN_KEY, ANVIL_DEV_OPERATOR_KEY } from '../src/chain/config.ts';
import type { ChainGateway } from '../src/chain/gateway.ts';
import { type LocalAnvil, startLocalAnvil } from '../src/chain/local-anvil.ts';
import { missingOnChainSetUp, operatorSurplusRoles } from '../src/chain/operator-roles.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
const MUNICIPALITY = 751;
const TIMELOCK_DELAY = 172_800;
const ADMIN_DELAY = 86_400;

/**
 * The production deploy script (contracts/deploy/cli.ts), run as an operator would against a
 * fresh chain: afterwards the deployer's key holds nothing, the service's operator key only
 * relays (the API's own start-up check finds nothing to refuse), each admin power sits with a
 * timelock of named people, and the platform admins complete the handover through theirs.
 */
describe('the deploy script hands every admin power to timelocks of named people', () => {
  let anvil: LocalAnvil;
  let dir: string;
  let chain: Pick<ChainGateway, 'publicClient' | 'addresses' | 'operatorAddress'>;
  let handover: {
    platform: { timelock: Address };
    municipalities: { municipality: number; timelock: Address }[];
    pendingAdminAcceptance: { acceptableAfter: number; schedule: Call; execute: Call };
  };
  type Call = { target: Address; data: Hex };
  const deployer = privateKeyToAccount(ANVIL_DEV_ADMIN_KEY);
  const operator = privateKeyToAccount(ANVIL_DEV_OPERATOR_KEY).address;
  const platformAdmin = privateKeyToAccount(generatePrivateKey());
  const others = [
    platformAdmin.address,
    ...[1, 2, 3].map(() => privateKeyToAccount(generatePrivateKey()).address),
  ];

  const hasRole = (contract: 'hub' | 'ekrone', role: Hex, account: Address) =>
    chain.publicClient.readContract({
      address: chain.addresses[contract],
      abi: contract === 'hub' ? voucherHubAbi : ekroneAbi,
      functionName: 'hasRole',
      args: [role, account],
    } as never) as Promise<boolean>;
  const hasMunicipalRole = (role: Hex, account: Address) =>
    chain.publicClient.readContract({
      address: chain.addresses.hub,
      abi: voucherHubAbi,
      functionName: 'hasMunicipalRole',
      args: [MUNICIPALITY, role, account],
    });

  beforeAll(async () => {
    anvil = await startLocalAnvil();
    dir = mkdtempSync(join(tmpdir(), 'voucher-deploy-script-'));
    const [a, b, c, d] = others as [Address, Address, Address, Address];
    writeFileSync(join(dir, 'roles.json'), JSON.stringify({ relayer: [operator] }));
    writeFileSync(
      join(dir, 'municipalities.json'),
      JSON.stringify([{ municipality: MUNICIPALITY, admins: [c, d], reclaimTo: c }]),
    );
    await run(
      'npx',
      [
        'tsx',
        'contracts/deploy/cli.ts',
        '--rpc-url',
        anvil.rpcUrl,
        '--out',
        join(dir, 'deployment.json'),
        '--roles',
        join(dir, 'roles.json'),
        '--municipalities',
        join(dir, 'municipalities.json'),
        '--platform-admins',
        `${a},${b}`,
      ],
      { cwd: ROOT, env: { ...process.env, DEPLOYER_PRIVATE_KEY: ANVIL_DEV_ADMIN_KEY } },
    );
    const deployment = readDeployment(join(dir, 'deployment.json'));
    const described = await describeChain(anvil.rpcUrl);
    chain = {
      publicClient: createChainPublicClient(described, anvil.rpcUrl),
      addresses: { hub: deployment.voucherHub, ekrone: deployment.ekrone },
      operatorAddress: operator,
    };
    handover = JSON.parse(readFileSync(join(dir, 'deployment.admin-handover.json'), 'utf8'));
  }, 240_000);
  afterAll(async () => {
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the operator only relaying, and the municipality ready for the service', async () => {
    expect(await operatorSurplusRoles(chain as ChainGateway, [MUNICIPALITY])).toEqual([]);
    expect(await missingOnChainSetUp(chain as ChainGateway, MUNICIPALITY)).toEqual([]);
    expect(await hasRole('hub', ROLE.relayer, operator)).toBe(true);
  });

  it('makes the named admins’ timelocks the municipal admin and the registrar; the deployer keeps no role it could use', async () => {
    const municipal = handover.municipalities[0]?.timelock as Address;
    expect(await hasMunicipalRole(ROLE.municipalAdmin, municipal)).toBe(true);
    expect(await hasMunicipalRole(ROLE.municipalAdmin, deployer.address)).toBe(false);
    expect(await hasRole('hub', ROLE.municipalityRegistrar, handover.platform.timelock)).toBe(true);
    expect(await hasRole('hub', ROLE.municipalityRegistrar, deployer.address)).toBe(false);
    for (const role of [ROLE.treasury, ROLE.financeOfficer, ROLE.programManager, ROLE.enrolment]) {
      expect(await hasMunicipalRole(role, deployer.address)).toBe(false);
    }
  });

  it('completes the handover only through the platform timelock, after both delays', async () => {
    const admin = createWalletClient({ account: platformAdmin, transport: http(anvil.rpcUrl) });
    const testClient = createTestClient({ mode: 'anvil', transport: http(anvil.rpcUrl) });
    await testClient.setBalance({ address: platformAdmin.address, value: 10n ** 18n });
    const send = async (call: Call) => {
      const hash = await admin.sendTransaction({ to: call.target, data: call.data, chain: null });
      return (await chain.publicClient.waitForTransactionReceipt({ hash })).status;
    };
    const { schedule, execute } = handover.pendingAdminAcceptance;
    expect(await send(schedule)).toBe('success');
    // Before the timelock's delay the operation is not ready: nothing changes.
    await expect(send(execute)).rejects.toThrow();
    await testClient.increaseTime({ seconds: Math.max(TIMELOCK_DELAY, ADMIN_DELAY) + 1 });
    await testClient.mine({ blocks: 1 });
    expect(await send(execute)).toBe('success');
    for (const contract of ['hub', 'ekrone'] as const) {
      expect(await hasRole(contract, ROLE.admin, handover.platform.timelock)).toBe(true);
      expect(await hasRole(contract, ROLE.admin, deployer.address)).toBe(false);
    }
    expect(await operatorSurplusRoles(chain as ChainGateway, [MUNICIPALITY])).toEqual([]);
  });
});
