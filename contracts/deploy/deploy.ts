import type { Account, Address, Chain, Hex, PublicClient, Transport, WalletClient } from 'viem';
import type { Deployment } from '../abi/deployment.ts';
import { ekroneAbi, ekroneBytecode } from '../abi/generated/ekrone.ts';
import { voucherHubAbi, voucherHubBytecode } from '../abi/generated/voucherHub.ts';
import { ROLE } from '../abi/roles.ts';

/** Who holds which role after deployment. The deployer is the admin of both contracts. */
export interface RoleHolders {
  treasury: Address[];
  programManager: Address[];
  enrolment: Address[];
  providerRegistrar: Address[];
  relayer: Address[];
  financeOfficer: Address[];
  pauser: Address[];
}

export interface DeployOptions {
  publicClient: PublicClient;
  walletClient: WalletClient<Transport, Chain, Account>;
  roles: RoleHolders;
  /** Seconds a new admin waits before accepting the handover (0 only on a local chain). */
  adminDelaySeconds: number;
}

const hubRoles = [
  ['treasury', ROLE.treasury],
  ['programManager', ROLE.programManager],
  ['enrolment', ROLE.enrolment],
  ['providerRegistrar', ROLE.providerRegistrar],
  ['relayer', ROLE.relayer],
  ['financeOfficer', ROLE.financeOfficer],
  ['pauser', ROLE.pauser],
] as const;

/**
 * Deploys eKrone and the voucher hub to any JSON-RPC endpoint, wires them together (the hub
 * may allow-list providers' payout accounts; the hub and the treasury are participants) and
 * hands out the roles. Waits for every receipt, so a failure stops at the step that failed.
 */
export async function deployContracts(options: DeployOptions): Promise<Deployment> {
  const { publicClient, walletClient, roles } = options;
  const deployer = walletClient.account.address;
  const transactions: Hex[] = [];
  const confirm = async (hash: Hex) => {
    transactions.push(hash);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new Error(`deployment transaction ${hash} reverted`);
    return receipt;
  };

  const delay = options.adminDelaySeconds;
  const ekroneReceipt = await confirm(
    await walletClient.deployContract({ abi: ekroneAbi, bytecode: ekroneBytecode, args: [deployer, delay] }),
  );
  const ekrone = requireAddress(ekroneReceipt.contractAddress, 'eKrone');
  const hubReceipt = await confirm(
    await walletClient.deployContract({
      abi: voucherHubAbi,
      bytecode: voucherHubBytecode,
      args: [ekrone, deployer, delay],
    }),
  );
  const voucherHub = requireAddress(hubReceipt.contractAddress, 'VoucherHub');

  const ekroneCall = async (
    functionName: 'grantRole' | 'setParticipant',
    args: readonly [Hex, Address] | readonly [Address, boolean],
  ) =>
    confirm(
      await walletClient.writeContract({ address: ekrone, abi: ekroneAbi, functionName, args } as never),
    );

  await ekroneCall('grantRole', [ROLE.participantManager, deployer]);
  await ekroneCall('grantRole', [ROLE.participantManager, voucherHub]);
  await ekroneCall('setParticipant', [voucherHub, true]);
  for (const treasury of roles.treasury) {
    await ekroneCall('grantRole', [ROLE.treasury, treasury]);
    await ekroneCall('setParticipant', [treasury, true]);
  }
  for (const pauser of roles.pauser) await ekroneCall('grantRole', [ROLE.pauser, pauser]);

  for (const [name, role] of hubRoles) {
    for (const holder of roles[name]) {
      await confirm(
        await walletClient.writeContract({
          address: voucherHub,
          abi: voucherHubAbi,
          functionName: 'grantRole',
          args: [role, holder],
        }),
      );
    }
  }

  return {
    chainId: await publicClient.getChainId(),
    ekrone,
    voucherHub,
    deployedAtBlock: ekroneReceipt.blockNumber.toString(),
    deployer,
    transactions,
  };
}

function requireAddress(address: Address | null | undefined, name: string): Address {
  if (!address) throw new Error(`${name} deployment returned no contract address`);
  return address;
}
