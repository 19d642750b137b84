/**
 * Deploys the contracts to any JSON-RPC endpoint, hands every admin power to timelocks of named
 * people, and writes the deployment file.
 *
 *   DEPLOYER_PRIVATE_KEY=0x… npm run deploy -w @voucher/contracts -- \
 *     --rpc-url http://127.0.0.1:8545 --out deployments/local.json --roles roles.json \
 *     --municipalities municipalities.json --platform-admins 0xA…,0xB… \
 *     [--timelock-delay 172800] [--admin-delay 86400]
 *
 * Least privilege: the deployer's key is temporary and holds no role once the script is done;
 * the service's operator key (roles.json `relayer`, required) only relays and runs each
 * municipality's day-to-day roles; admin is an AdminTimelock of named people, who propose (any
 * of the others may cancel during `--timelock-delay`, 48 hours by default) and then execute.
 *
 * roles.json (see RoleHolders): `relayer` is required (the operator key); eKrone's treasury goes
 * only to the hub unless named; eKrone's pauser defaults to the platform admins (an emergency
 * stop cannot wait for a timelock); municipality registrar goes to the platform timelock, and to
 * anyone else only if named.
 *
 * municipalities.json is a list of
 * `{ "municipality": 101, "admins": ["0x…", "0x…"], "reclaimTo": "0x…", "roles": { … },
 *    "singleOfficerFundingLimitOre": "50000000" }`:
 * `admins` (required, at least two) are the municipality's named admins behind its own
 * AdminTimelock; `roles` as in MunicipalRoleHolders, where programManager, enrolment,
 * providerRegistrar and pauser default to the operator key, and treasury and financeOfficer to
 * nobody (officers' passkeys get them through the municipal timelock); the funding limit
 * defaults to 500.000 kr.
 *
 * The hub and eKrone accept their new admin only after `--admin-delay`: the platform admins then
 * schedule and execute `acceptDefaultAdminTransfer()` on both through their timelock. The calls
 * (with the timelock's scheduleBatch and executeBatch calldata) are printed and written to
 * `<out>.admin-handover.json`, with the timelocks' addresses. Until then the deployer's key
 * remains the admin of both: keep it offline, and destroy it after the acceptance.
 * The private key is read from the environment, never from the command line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  isAddress,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { writeDeployment } from '../abi/deployment.ts';
import {
  checkNamedAdmins,
  deployAdminTimelock,
  handMunicipalityToTimelock,
  handPlatformToTimelock,
} from './admin-timelock.ts';
import { deployContracts, type MunicipalRoleHolders, type RoleHolders, setUpMunicipality } from './deploy.ts';

const { values } = parseArgs({
  options: {
    'rpc-url': { type: 'string' },
    out: { type: 'string' },
    roles: { type: 'string' },
    municipalities: { type: 'string' },
    'admin-delay': { type: 'string', default: '86400' },
    'platform-admins': { type: 'string' },
    'timelock-delay': { type: 'string', default: '172800' },
  },
});

function fail(message: string): never {
  console.error(`deploy: ${message}`);
  process.exit(2);
}

function wholeSeconds(option: string): number {
  const seconds = Number(values[option as 'admin-delay' | 'timelock-delay']);
  if (!Number.isInteger(seconds) || seconds < 0) fail(`--${option} must be whole seconds`);
  return seconds;
}

/** Runs a check that throws, and exits with its message. */
function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    fail((error as Error).message);
  }
}

const rpcUrl = values['rpc-url'] ?? fail('--rpc-url is required');
const out = values.out ?? fail('--out is required (the deployment file to write)');
const key = process.env.DEPLOYER_PRIVATE_KEY ?? fail('DEPLOYER_PRIVATE_KEY is not set');
if (!/^0x[0-9a-fA-F]{64}$/.test(key)) fail('DEPLOYER_PRIVATE_KEY must be 0x followed by 64 hex digits');
const adminDelaySeconds = wholeSeconds('admin-delay');
const timelockDelaySeconds = wholeSeconds('timelock-delay');
const account = privateKeyToAccount(key as Hex);
const deployer = account.address;

// ------------------------------------------------------------------ who holds what

const given = values.roles ? (JSON.parse(readFileSync(values.roles, 'utf8')) as Partial<RoleHolders>) : {};
const operators = given.relayer ?? [];
if (operators.length === 0) fail('roles file: "relayer" is required (the service\'s operator key)');
/** Keys that must never administer: the deployer's is temporary, the operator's only relays. */
const forbidden = new Map<string, string>([[deployer.toLowerCase(), 'the deployer']]);
for (const operator of operators) forbidden.set(operator.toLowerCase(), 'an operator (relayer) key');
const platformAdminList = values['platform-admins'] ?? fail('--platform-admins is required (named people)');
const platformAdmins = checked(() =>
  checkNamedAdmins(
    '--platform-admins',
    platformAdminList.split(',').map((admin) => admin.trim()),
    forbidden,
  ),
);
const roles: RoleHolders = {
  relayer: operators,
  // The deployer holds the registrar role only while it creates the municipalities below.
  municipalityRegistrar: [...(given.municipalityRegistrar ?? []), deployer],
  // Only the hub mints and burns unless a roles file names others (the API refuses to start with it).
  ekroneTreasury: given.ekroneTreasury ?? [],
  pauser: given.pauser ?? platformAdmins,
};
if (
  [...operators, ...roles.ekroneTreasury, ...roles.pauser, ...(given.municipalityRegistrar ?? [])].some(
    isDeployer,
  )
)
  fail("roles file: the deployer's key is temporary; name another address");
// The registrar names a new municipality's admin: an operator key holding it could open a
// municipality of its own and have its own passkeys mint there.
if ((given.municipalityRegistrar ?? []).some((holder) => forbidden.has(holder.toLowerCase())))
  fail('roles file: "municipalityRegistrar" must not name the deployer or an operator key');

interface MunicipalityEntry {
  municipality: number;
  admins?: string[];
  /** Replaced by `admins`. */
  admin?: string;
  reclaimTo?: Address;
  roles?: Partial<MunicipalRoleHolders>;
  singleOfficerFundingLimitOre?: string | number;
}
const entries = values.municipalities
  ? (JSON.parse(readFileSync(values.municipalities, 'utf8')) as MunicipalityEntry[])
  : [];
const municipalRoleNames = [
  'treasury',
  'programManager',
  'enrolment',
  'providerRegistrar',
  'financeOfficer',
  'pauser',
] as const;
/** Money roles belong to officers' passkeys, granted through the municipal timelock. */
const officerOnlyRoles: readonly string[] = ['treasury', 'financeOfficer'];
const DEFAULT_FUNDING_LIMIT_ORE = 50_000_000n; // 500.000 kr, as the service assumes

const municipalities = entries.map((entry) => {
  const label = `municipality ${entry.municipality}`;
  if (entry.admin !== undefined)
    fail(`${label}: "admin" is replaced by "admins", a list of at least two named municipal admins`);
  const admins = checked(() => checkNamedAdmins(`${label} admins`, entry.admins ?? [], forbidden));
  if (entry.reclaimTo === undefined || !isAddress(entry.reclaimTo))
    fail(`${label}: "reclaimTo" must be an address (where ended programs' escrow goes)`);
  const municipalRoles = Object.fromEntries(
    municipalRoleNames.map((name) => [
      name,
      entry.roles?.[name] ?? (officerOnlyRoles.includes(name) ? [] : operators),
    ]),
  ) as unknown as MunicipalRoleHolders;
  if (Object.values(municipalRoles).flat().some(isDeployer))
    fail(`${label}: the deployer's key is temporary; name another address`);
  const limit = checked(() => BigInt(entry.singleOfficerFundingLimitOre ?? DEFAULT_FUNDING_LIMIT_ORE));
  if (limit < 0n || limit >= 2n ** 128n) fail(`${label}: singleOfficerFundingLimitOre must fit in 128 bits`);
  return { ...entry, admins, reclaimTo: entry.reclaimTo, roles: municipalRoles, limit };
});

function isDeployer(address: string): boolean {
  return address.toLowerCase() === deployer.toLowerCase();
}

// ------------------------------------------------------------------ on chain

const probe = createPublicClient({ transport: http(rpcUrl) });
const chain = defineChain({
  id: await probe.getChainId(),
  name: 'target',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [rpcUrl] } },
});
const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });
const walletClient = createWalletClient({ account, chain, transport: http(rpcUrl) });
const clients = { publicClient, walletClient };

const deployment = await deployContracts({ ...clients, roles, adminDelaySeconds });
const municipalTimelocks: { municipality: number; timelock: Address; admins: Address[] }[] = [];
for (const entry of municipalities) {
  // The deployer is the admin while it hands out the day-to-day roles, then gives way.
  deployment.transactions.push(
    ...(await setUpMunicipality({
      ...clients,
      hub: deployment.voucherHub,
      municipality: entry.municipality,
      admin: deployer,
      reclaimTo: entry.reclaimTo,
      roles: entry.roles,
    })),
  );
  const { timelock, transactions } = await deployAdminTimelock({
    ...clients,
    minDelaySeconds: timelockDelaySeconds,
    admins: entry.admins,
  });
  deployment.transactions.push(...transactions);
  deployment.transactions.push(
    ...(await handMunicipalityToTimelock({
      ...clients,
      hub: deployment.voucherHub,
      municipality: entry.municipality,
      singleOfficerFundingLimitOre: entry.limit,
      timelock,
    })),
  );
  municipalTimelocks.push({ municipality: entry.municipality, timelock, admins: entry.admins });
  console.log(`municipality ${entry.municipality} created; its admin is the timelock ${timelock}`);
}

const platform = await deployAdminTimelock({
  ...clients,
  minDelaySeconds: timelockDelaySeconds,
  admins: platformAdmins,
});
deployment.transactions.push(...platform.transactions);
const handover = await handPlatformToTimelock({
  ...clients,
  hub: deployment.voucherHub,
  ekrone: deployment.ekrone,
  timelock: platform.timelock,
  minDelaySeconds: timelockDelaySeconds,
});
deployment.transactions.push(...handover.transactions);

writeDeployment(out, deployment);
const handoverFile = `${out.replace(/\.json$/, '')}.admin-handover.json`;
writeFileSync(
  handoverFile,
  `${JSON.stringify(
    {
      timelockDelaySeconds,
      platform: { timelock: platform.timelock, admins: platformAdmins },
      municipalities: municipalTimelocks,
      pendingAdminAcceptance: handover.pending,
    },
    null,
    2,
  )}\n`,
);

const { pending } = handover;
console.log(
  [
    `eKrone ${deployment.ekrone}`,
    `VoucherHub ${deployment.voucherHub}`,
    `platform admin timelock ${platform.timelock} (delay ${timelockDelaySeconds} s; ${platformAdmins.join(', ')})`,
    `written to ${out} and ${handoverFile}`,
    '',
    'STILL TO DO by the platform admins: accept the admin of the hub and eKrone through their timelock.',
    `Until then the deployer ${deployer} is the admin of both; keep its key offline.`,
    ...pending.calls.map(
      (call) => `  ${call.description}\n    target ${call.target}\n    calldata ${call.data}`,
    ),
    `1. now: a platform admin calls ${pending.schedule.description}`,
    `    target ${pending.schedule.target}\n    calldata ${pending.schedule.data}`,
    `2. after ${new Date(pending.acceptableAfter * 1000).toISOString()} and the ${timelockDelaySeconds} s delay: ` +
      `a platform admin calls ${pending.execute.description}`,
    `    target ${pending.execute.target}\n    calldata ${pending.execute.data}`,
  ].join('\n'),
);
