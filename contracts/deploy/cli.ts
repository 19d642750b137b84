/**
 * Deploys the contracts to any JSON-RPC endpoint and writes the deployment file.
 *
 *   DEPLOYER_PRIVATE_KEY=0x… npm run deploy -w @voucher/contracts -- \
 *     --rpc-url http://127.0.0.1:8545 --out deployments/local.json --roles roles.json \
 *     --municipalities municipalities.json
 *
 * roles.json lists the addresses per global role (see RoleHolders); a role left out goes to
 * the deployer, except eKrone's treasury, which only the hub holds. municipalities.json (optional) is a list of
 * `{ "municipality": 101, "admin": "0x…", "reclaimTo": "0x…", "roles": { … } }` (roles as in
 * MunicipalRoleHolders; a role left out goes to the deployer, except treasury and finance
 * officer, which officers' passkeys get at enrolment; they are handed out only when the
 * deployer is the municipal admin). The private key is read from the environment,
 * never from the command line.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type Address, createPublicClient, createWalletClient, defineChain, type Hex, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { writeDeployment } from '../abi/deployment.ts';
import { deployContracts, type MunicipalRoleHolders, type RoleHolders, setUpMunicipality } from './deploy.ts';

const { values } = parseArgs({
  options: {
    'rpc-url': { type: 'string' },
    out: { type: 'string' },
    roles: { type: 'string' },
    municipalities: { type: 'string' },
    'admin-delay': { type: 'string', default: '86400' },
  },
});

function fail(message: string): never {
  console.error(`deploy: ${message}`);
  process.exit(2);
}

const rpcUrl = values['rpc-url'] ?? fail('--rpc-url is required');
const out = values.out ?? fail('--out is required (the deployment file to write)');
const key = process.env.DEPLOYER_PRIVATE_KEY ?? fail('DEPLOYER_PRIVATE_KEY is not set');
if (!/^0x[0-9a-fA-F]{64}$/.test(key)) fail('DEPLOYER_PRIVATE_KEY must be 0x followed by 64 hex digits');
const adminDelaySeconds = Number(values['admin-delay']);
if (!Number.isInteger(adminDelaySeconds) || adminDelaySeconds < 0)
  fail('--admin-delay must be whole seconds');

const account = privateKeyToAccount(key as Hex);
const probe = createPublicClient({ transport: http(rpcUrl) });
const chain = defineChain({
  id: await probe.getChainId(),
  name: 'target',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [rpcUrl] } },
});
const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });
const walletClient = createWalletClient({ account, chain, transport: http(rpcUrl) });

const given = values.roles ? (JSON.parse(readFileSync(values.roles, 'utf8')) as Partial<RoleHolders>) : {};
const roleNames = ['municipalityRegistrar', 'relayer', 'ekroneTreasury', 'pauser'] as const;
// Only the hub mints and burns: nobody else gets eKrone's treasury role unless a roles file
// names them (the API refuses to start with it).
const roles = Object.fromEntries(
  roleNames.map((name) => [name, given[name] ?? (name === 'ekroneTreasury' ? [] : [account.address])]),
) as unknown as RoleHolders;

interface MunicipalityEntry {
  municipality: number;
  admin?: Address;
  reclaimTo?: Address;
  roles?: Partial<MunicipalRoleHolders>;
}
const municipalities = values.municipalities
  ? (JSON.parse(readFileSync(values.municipalities, 'utf8')) as MunicipalityEntry[])
  : [];
/** Money roles belong to officers' passkeys, granted at enrolment; the deployer never gets them by default. */
const officerOnlyRoles: readonly string[] = ['treasury', 'financeOfficer'];
const municipalRoleNames = [
  'treasury',
  'programManager',
  'enrolment',
  'providerRegistrar',
  'financeOfficer',
  'pauser',
] as const;

const deployment = await deployContracts({ publicClient, walletClient, roles, adminDelaySeconds });
for (const entry of municipalities) {
  const transactions = await setUpMunicipality({
    publicClient,
    walletClient,
    hub: deployment.voucherHub,
    municipality: entry.municipality,
    admin: entry.admin ?? account.address,
    reclaimTo: entry.reclaimTo ?? account.address,
    roles: Object.fromEntries(
      municipalRoleNames.map((name) => [
        name,
        entry.roles?.[name] ?? (officerOnlyRoles.includes(name) ? [] : [account.address]),
      ]),
    ) as unknown as MunicipalRoleHolders,
  });
  deployment.transactions.push(...transactions);
  console.log(`municipality ${entry.municipality} created`);
}
writeDeployment(out, deployment);
console.log(`eKrone ${deployment.ekrone}\nVoucherHub ${deployment.voucherHub}\nwritten to ${out}`);
