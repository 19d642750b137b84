import type { Account, Address, Chain, Hex, PublicClient, Transport, WalletClient } from 'viem';
import type { Deployment } from '../abi/deployment.ts';
import { ekroneAbi, ekroneBytecode } from '../abi/generated/ekrone.ts';
import { passkeyVerifierAbi, passkeyVerifierBytecode } from '../abi/generated/passkeyVerifier.ts';
import { voucherHubAbi, voucherHubBytecode } from '../abi/generated/voucherHub.ts';
import { voucherHubOfficersAbi, voucherHubOfficersBytecode } from '../abi/generated/voucherHubOfficers.ts';
import { voucherHubPeriodsAbi, voucherHubPeriodsBytecode } from '../abi/generated/voucherHubPeriods.ts';
import { voucherHubProvidersAbi, voucherHubProvidersBytecode } from '../abi/generated/voucherHubProviders.ts';
import { ROLE } from '../abi/roles.ts';

/**
 * Who holds the platform's global roles after deployment. The deployer is the admin of both
 * contracts. Global roles give no power inside a municipality (see setUpMunicipality).
 */
export interface RoleHolders {
  /** Hub: may create municipalities. */
  municipalityRegistrar: Address[];
  /** Hub: submits redeemBatch. */
  relayer: Address[];
  /** eKrone: mints against kroner in the bank; made eKrone participants. */
  ekroneTreasury: Address[];
  /** eKrone: may pause the token. */
  pauser: Address[];
}

export interface DeployOptions {
  publicClient: PublicClient;
  walletClient: WalletClient<Transport, Chain, Account>;
  roles: RoleHolders;
  /** Seconds a new admin waits before accepting the handover (0 only on a local chain). */
  adminDelaySeconds: number;
}

export type Wallet = WalletClient<Transport, Chain, Account>;

/** Waits for each transaction's receipt and records its hash, so a failure stops at its step. */
export function confirmer(publicClient: PublicClient, transactions: Hex[]) {
  return async (hash: Hex) => {
    transactions.push(hash);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new Error(`transaction ${hash} reverted`);
    return receipt;
  };
}

/**
 * Deploys eKrone and the voucher hub to any JSON-RPC endpoint, wires them together (the hub
 * may allow-list providers' payout accounts; the hub and the eKrone treasury are participants)
 * and hands out the global roles. Municipalities come afterwards, each with setUpMunicipality.
 */
export async function deployContracts(options: DeployOptions): Promise<Deployment> {
  const { publicClient, walletClient, roles } = options;
  const deployer = walletClient.account.address;
  const transactions: Hex[] = [];
  const confirm = confirmer(publicClient, transactions);

  const delay = options.adminDelaySeconds;
  const ekroneReceipt = await confirm(
    await walletClient.deployContract({ abi: ekroneAbi, bytecode: ekroneBytecode, args: [deployer, delay] }),
  );
  const ekrone = requireAddress(ekroneReceipt.contractAddress, 'eKrone');
  // Officers' and provider admins' passkey signatures are checked by OpenZeppelin's WebAuthn
  // verifier, in the officers' and providers' extensions; the hub forwards to the periods
  // extension, which forwards to the officers' one, which forwards to the providers' one.
  const verifierReceipt = await confirm(
    await walletClient.deployContract({ abi: passkeyVerifierAbi, bytecode: passkeyVerifierBytecode }),
  );
  const verifier = requireAddress(verifierReceipt.contractAddress, 'PasskeyVerifier');
  const providersReceipt = await confirm(
    await walletClient.deployContract({
      abi: voucherHubProvidersAbi,
      bytecode: voucherHubProvidersBytecode,
      args: [ekrone, deployer, verifier],
    }),
  );
  const providers = requireAddress(providersReceipt.contractAddress, 'VoucherHubProviders');
  const officersReceipt = await confirm(
    await walletClient.deployContract({
      abi: voucherHubOfficersAbi,
      bytecode: voucherHubOfficersBytecode,
      args: [ekrone, deployer, verifier, providers],
    }),
  );
  const officers = requireAddress(officersReceipt.contractAddress, 'VoucherHubOfficers');
  const periodsReceipt = await confirm(
    await walletClient.deployContract({
      abi: voucherHubPeriodsAbi,
      bytecode: voucherHubPeriodsBytecode,
      args: [ekrone, deployer, officers],
    }),
  );
  const periods = requireAddress(periodsReceipt.contractAddress, 'VoucherHubPeriods');
  const hubReceipt = await confirm(
    await walletClient.deployContract({
      abi: voucherHubAbi,
      bytecode: voucherHubBytecode,
      args: [ekrone, deployer, delay, periods],
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
  // The hub mints what officers approved against kroner in the bank, and burns what leaves.
  await ekroneCall('grantRole', [ROLE.treasury, voucherHub]);
  for (const treasury of roles.ekroneTreasury) {
    await ekroneCall('grantRole', [ROLE.treasury, treasury]);
    await ekroneCall('setParticipant', [treasury, true]);
  }
  for (const pauser of roles.pauser) await ekroneCall('grantRole', [ROLE.pauser, pauser]);

  const hubRoles = [
    [ROLE.municipalityRegistrar, roles.municipalityRegistrar],
    [ROLE.relayer, roles.relayer],
  ] as const;
  for (const [role, holders] of hubRoles) {
    for (const holder of holders) {
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

/** Who holds which role inside one municipality. */
export interface MunicipalRoleHolders {
  treasury: Address[];
  programManager: Address[];
  enrolment: Address[];
  providerRegistrar: Address[];
  financeOfficer: Address[];
  pauser: Address[];
}

export interface MunicipalitySetUp {
  publicClient: PublicClient;
  walletClient: Wallet;
  hub: Address;
  /** The official kommunekode, 1..999. */
  municipality: number;
  admin: Address;
  /** Where the municipality's ended programs' escrow is reclaimed to. */
  reclaimTo: Address;
  roles: MunicipalRoleHolders;
}

const municipalRoles = [
  ['treasury', ROLE.treasury],
  ['programManager', ROLE.programManager],
  ['enrolment', ROLE.enrolment],
  ['providerRegistrar', ROLE.providerRegistrar],
  ['financeOfficer', ROLE.financeOfficer],
  ['pauser', ROLE.pauser],
] as const;

/**
 * Creates a municipality on the hub (the wallet must hold the municipality-registrar role),
 * which opens its period 1 and makes `admin` its municipal admin. When the wallet is that
 * admin, it also hands out the municipal roles; otherwise the admin does that with its own
 * key. When the wallet manages eKrone participants, `reclaimTo` and the municipal treasuries
 * become participants, so escrow can be funded from and reclaimed to them.
 * @returns the hashes of the transactions sent, in order.
 */
export async function setUpMunicipality(options: MunicipalitySetUp): Promise<Hex[]> {
  const { publicClient, walletClient, hub, municipality, admin, reclaimTo, roles } = options;
  if (!Number.isInteger(municipality) || municipality < 1 || municipality > 999) {
    throw new Error(`municipality ${municipality} is not a kommunekode (1..999)`);
  }
  const transactions: Hex[] = [];
  const confirm = confirmer(publicClient, transactions);
  const wallet = walletClient.account.address;

  await confirm(
    await walletClient.writeContract({
      address: hub,
      abi: voucherHubAbi,
      functionName: 'createMunicipality',
      args: [municipality, admin, reclaimTo],
    }),
  );

  if (sameAddress(wallet, admin)) {
    for (const [name, role] of municipalRoles) {
      for (const holder of roles[name]) {
        await confirm(
          await walletClient.writeContract({
            address: hub,
            abi: voucherHubAbi,
            functionName: 'grantMunicipalRole',
            args: [municipality, role, holder],
          }),
        );
      }
    }
  }

  const ekrone = await publicClient.readContract({
    address: hub,
    abi: voucherHubAbi,
    functionName: 'ekrone',
  });
  const managesParticipants = await publicClient.readContract({
    address: ekrone,
    abi: ekroneAbi,
    functionName: 'hasRole',
    args: [ROLE.participantManager, wallet],
  });
  if (managesParticipants) {
    for (const participant of unique([reclaimTo, ...roles.treasury])) {
      const already = await publicClient.readContract({
        address: ekrone,
        abi: ekroneAbi,
        functionName: 'isParticipant',
        args: [participant],
      });
      if (already) continue;
      await confirm(
        await walletClient.writeContract({
          address: ekrone,
          abi: ekroneAbi,
          functionName: 'setParticipant',
          args: [participant, true],
        }),
      );
    }
  }
  return transactions;
}

function sameAddress(a: Address, b: Address): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function unique(addresses: Address[]): Address[] {
  const seen = new Set<string>();
  return addresses.filter((address) => {
    const key = address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function requireAddress(address: Address | null | undefined, name: string): Address {
  if (!address) throw new Error(`${name} deployment returned no contract address`);
  return address;
}
