import { type Address, encodeFunctionData, type Hex, isAddress, type PublicClient, zeroHash } from 'viem';
import { adminTimelockAbi, adminTimelockBytecode } from '../abi/generated/adminTimelock.ts';
import { ekroneAbi } from '../abi/generated/ekrone.ts';
import { voucherHubAbi } from '../abi/generated/voucherHub.ts';
import { ROLE } from '../abi/roles.ts';
import { confirmer, type Wallet } from './deploy.ts';

/**
 * Least privilege after deployment: the deployer's key only sets things up, and every admin
 * power ends with named people behind an AdminTimelock (OpenZeppelin TimelockController). One of
 * them proposes, the others have `minDelaySeconds` to cancel, then any of them executes. The
 * service's operator key is never one of them.
 */

interface Clients {
  publicClient: PublicClient;
  walletClient: Wallet;
}

/**
 * Checks a list of named admins: addresses, at least two distinct (one to propose, another who
 * can cancel during the delay), none of them a key the deployment says must not administer.
 */
export function checkNamedAdmins(
  label: string,
  admins: readonly string[],
  forbidden: ReadonlyMap<string, string>,
): Address[] {
  const distinct = new Set<string>();
  for (const admin of admins) {
    if (!isAddress(admin, { strict: false })) throw new Error(`${label}: ${admin} is not an address`);
    const why = forbidden.get(admin.toLowerCase());
    if (why) throw new Error(`${label}: ${admin} is ${why}, which must not administer`);
    distinct.add(admin.toLowerCase());
  }
  if (distinct.size < 2) {
    throw new Error(`${label}: name at least two different people (one proposes, another can cancel)`);
  }
  return admins as Address[];
}

export interface TimelockDeploy extends Clients {
  /** Seconds each proposal waits before it may be executed. */
  minDelaySeconds: number;
  /** The named people: each proposes, cancels and executes. */
  admins: readonly Address[];
}

/** Deploys an AdminTimelock whose proposers and executors are `admins`; it administers itself. */
export async function deployAdminTimelock(
  options: TimelockDeploy,
): Promise<{ timelock: Address; transactions: Hex[] }> {
  const { publicClient, walletClient, minDelaySeconds, admins } = options;
  const transactions: Hex[] = [];
  const receipt = await confirmer(
    publicClient,
    transactions,
  )(
    await walletClient.deployContract({
      abi: adminTimelockAbi,
      bytecode: adminTimelockBytecode,
      args: [BigInt(minDelaySeconds), [...admins], [...admins]],
    }),
  );
  if (!receipt.contractAddress) throw new Error('AdminTimelock deployment returned no contract address');
  return { timelock: receipt.contractAddress, transactions };
}

export interface MunicipalHandover extends Clients {
  hub: Address;
  municipality: number;
  /** Set by the wallet while it is still the admin; the hub's default is not relied on. */
  singleOfficerFundingLimitOre: bigint;
  timelock: Address;
}

/**
 * The wallet, the municipality's admin during set-up, sets its single-officer funding limit,
 * makes `timelock` the admin and gives up its own admin role.
 * @returns the hashes of the transactions sent, in order.
 */
export async function handMunicipalityToTimelock(options: MunicipalHandover): Promise<Hex[]> {
  const { publicClient, walletClient, hub, municipality, timelock } = options;
  const transactions: Hex[] = [];
  const confirm = confirmer(publicClient, transactions);
  const write = async (
    functionName: 'setFundingLimit' | 'grantMunicipalRole' | 'renounceMunicipalRole',
    args: readonly unknown[],
  ) =>
    confirm(
      await walletClient.writeContract({ address: hub, abi: voucherHubAbi, functionName, args } as never),
    );

  await write('setFundingLimit', [municipality, options.singleOfficerFundingLimitOre]);
  await write('grantMunicipalRole', [municipality, ROLE.municipalAdmin, timelock]);
  await write('renounceMunicipalRole', [municipality, ROLE.municipalAdmin]);
  const handedOver = await publicClient.readContract({
    address: hub,
    abi: voucherHubAbi,
    functionName: 'hasMunicipalRole',
    args: [municipality, ROLE.municipalAdmin, timelock],
  });
  if (!handedOver) throw new Error(`municipality ${municipality}: the timelock is not its admin`);
  return transactions;
}

/** One call the platform admins make through their timelock. */
export interface TimelockCall {
  target: Address;
  /** What the call does, for the people who schedule it. */
  description: string;
  data: Hex;
}

/** What is left for the platform admins once the script is done. */
export interface PendingAdminAcceptance {
  platformTimelock: Address;
  /** Unix seconds after which the hub and eKrone accept the handover. */
  acceptableAfter: number;
  calls: TimelockCall[];
  /** On the platform timelock, by a platform admin: schedules both calls in one operation. */
  schedule: TimelockCall;
  /** On the platform timelock, by a platform admin, after the timelock's delay and `acceptableAfter`. */
  execute: TimelockCall;
}

export interface PlatformHandover extends Clients {
  hub: Address;
  ekrone: Address;
  timelock: Address;
  /** The platform timelock's delay, which scheduling the acceptance must give. */
  minDelaySeconds: number;
}

/**
 * Makes the platform timelock the hub's municipality registrar and eKrone's participant manager,
 * begins the two-step admin handover of the hub and eKrone to it, and gives up the wallet's
 * registrar and participant-manager roles. The wallet stays the admin of both until the timelock
 * accepts (OpenZeppelin's AccessControlDefaultAdminRules then revokes the wallet's admin role).
 * @returns the transactions sent and the acceptance the platform admins must still schedule.
 */
export async function handPlatformToTimelock(
  options: PlatformHandover,
): Promise<{ transactions: Hex[]; pending: PendingAdminAcceptance }> {
  const { publicClient, walletClient, hub, ekrone, timelock } = options;
  const wallet = walletClient.account.address;
  const transactions: Hex[] = [];
  const confirm = confirmer(publicClient, transactions);
  const onHub = async (
    functionName: 'grantRole' | 'renounceRole' | 'beginDefaultAdminTransfer',
    args: readonly unknown[],
  ) =>
    confirm(
      await walletClient.writeContract({ address: hub, abi: voucherHubAbi, functionName, args } as never),
    );
  const onEkrone = async (
    functionName: 'grantRole' | 'renounceRole' | 'beginDefaultAdminTransfer',
    args: readonly unknown[],
  ) =>
    confirm(
      await walletClient.writeContract({ address: ekrone, abi: ekroneAbi, functionName, args } as never),
    );

  await onHub('grantRole', [ROLE.municipalityRegistrar, timelock]);
  await onEkrone('grantRole', [ROLE.participantManager, timelock]);
  await onHub('beginDefaultAdminTransfer', [timelock]);
  await onEkrone('beginDefaultAdminTransfer', [timelock]);
  await onHub('renounceRole', [ROLE.municipalityRegistrar, wallet]);
  await onEkrone('renounceRole', [ROLE.participantManager, wallet]);

  const [, hubSchedule] = await publicClient.readContract({
    address: hub,
    abi: voucherHubAbi,
    functionName: 'pendingDefaultAdmin',
  });
  const [, ekroneSchedule] = await publicClient.readContract({
    address: ekrone,
    abi: ekroneAbi,
    functionName: 'pendingDefaultAdmin',
  });
  const accept = encodeFunctionData({ abi: voucherHubAbi, functionName: 'acceptDefaultAdminTransfer' });
  const calls: TimelockCall[] = [
    { target: hub, description: 'VoucherHub.acceptDefaultAdminTransfer()', data: accept },
    { target: ekrone, description: 'EKrone.acceptDefaultAdminTransfer()', data: accept },
  ];
  const targets = calls.map((call) => call.target);
  const values = calls.map(() => 0n);
  const payloads = calls.map((call) => call.data);
  return {
    transactions,
    pending: {
      platformTimelock: timelock,
      acceptableAfter: Math.max(Number(hubSchedule), Number(ekroneSchedule)),
      calls,
      schedule: {
        target: timelock,
        description: `AdminTimelock.scheduleBatch(both calls, delay ${options.minDelaySeconds} s)`,
        data: encodeFunctionData({
          abi: adminTimelockAbi,
          functionName: 'scheduleBatch',
          args: [targets, values, payloads, zeroHash, zeroHash, BigInt(options.minDelaySeconds)],
        }),
      },
      execute: {
        target: timelock,
        description: 'AdminTimelock.executeBatch(both calls)',
        data: encodeFunctionData({
          abi: adminTimelockAbi,
          functionName: 'executeBatch',
          args: [targets, values, payloads, zeroHash, zeroHash],
        }),
      },
    },
  };
}
