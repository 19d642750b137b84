import { ekroneAbi, ROLE, voucherHubAbi } from '@voucher/contracts';
import { type Database, municipalities } from '@voucher/db';
import { asc } from 'drizzle-orm';
import type { Hex } from 'viem';
import type { ChainGateway } from './gateway.ts';

/**
 * The service's own key holds more than relaying needs: a role that moves money (it could mint
 * or burn without any officer's passkey signature) or one that hands out roles (it could give
 * such a role to a key of its own). The API refuses to start until the role is taken away.
 */
export class OperatorRoleError extends Error {
  constructor(readonly surplus: readonly string[]) {
    super(
      `Refusing to start: the operator key holds ${surplus.join('; ')}. The operator only relays: money moves on ` +
        "officers' passkeys (the hub alone mints and burns eKrone), and roles are handed out by the platform's and " +
        "each municipality's named admins. Revoke each role from the operator (hub.revokeMunicipalRole by the " +
        "municipality's admin, hub.revokeRole or eKrone.revokeRole by the platform admin, or an admin handover for " +
        'DEFAULT_ADMIN_ROLE) or have it renounce them, then start again; on the embedded demo, deleting the data ' +
        'folder starts afresh without them (this deletes all local data).',
    );
    this.name = 'OperatorRoleError';
  }
}

/** Per municipality: money roles, and the admin role that hands them out. */
const REFUSED_MUNICIPAL_ROLES: readonly { name: string; role: Hex }[] = [
  { name: 'MUNICIPAL_ADMIN_ROLE', role: ROLE.municipalAdmin },
  { name: 'TREASURY_ROLE', role: ROLE.treasury },
  { name: 'FINANCE_OFFICER_ROLE', role: ROLE.financeOfficer },
];

/** The platform's: the hub's and eKrone's admin, the registrar (opens municipalities), eKrone's minter. */
const REFUSED_GLOBAL_ROLES: readonly { name: string; contract: 'hub' | 'ekrone'; role: Hex }[] = [
  { name: "the hub's DEFAULT_ADMIN_ROLE", contract: 'hub', role: ROLE.admin },
  { name: "the hub's MUNICIPALITY_REGISTRAR_ROLE", contract: 'hub', role: ROLE.municipalityRegistrar },
  { name: "eKrone's DEFAULT_ADMIN_ROLE", contract: 'ekrone', role: ROLE.admin },
  { name: "eKrone's TREASURY_ROLE", contract: 'ekrone', role: ROLE.treasury },
];

/** What the operator needs in each municipality it serves: it registers what staff decide in the API. */
export const OPERATOR_MUNICIPAL_ROLES: readonly { name: string; role: Hex }[] = [
  { name: 'PROGRAM_MANAGER_ROLE', role: ROLE.programManager },
  { name: 'ENROLMENT_ROLE', role: ROLE.enrolment },
  { name: 'PROVIDER_REGISTRAR_ROLE', role: ROLE.providerRegistrar },
  { name: 'PAUSER_ROLE', role: ROLE.pauser },
];

function hasMunicipalRole(chain: ChainGateway, municipality: number, role: Hex): Promise<boolean> {
  return chain.publicClient.readContract({
    address: chain.addresses.hub,
    abi: voucherHubAbi,
    functionName: 'hasMunicipalRole',
    args: [municipality, role, chain.operatorAddress],
  });
}

function hasGlobalRole(chain: ChainGateway, contract: 'hub' | 'ekrone', role: Hex): Promise<boolean> {
  return chain.publicClient.readContract({
    address: chain.addresses[contract],
    abi: contract === 'hub' ? voucherHubAbi : ekroneAbi,
    functionName: 'hasRole',
    args: [role, chain.operatorAddress],
  } as never) as Promise<boolean>;
}

/**
 * The roles the operator key holds beyond relaying, each named: an admin, registrar or money
 * role on the platform, or MUNICIPAL_ADMIN_ROLE, TREASURY_ROLE or FINANCE_OFFICER_ROLE in any
 * municipality the service serves (the database's). Empty is the only good answer.
 */
export async function operatorSurplusRoles(chain: ChainGateway, municipalityIds: readonly number[]) {
  const surplus: string[] = [];
  for (const { name, contract, role } of REFUSED_GLOBAL_ROLES) {
    if (await hasGlobalRole(chain, contract, role)) surplus.push(name);
  }
  for (const municipality of municipalityIds) {
    for (const { name, role } of REFUSED_MUNICIPAL_ROLES) {
      if (await hasMunicipalRole(chain, municipality, role))
        surplus.push(`${name} in municipality ${municipality}`);
    }
  }
  return surplus.map((role) => `${role} (operator ${chain.operatorAddress})`);
}

/** At start: refuses (OperatorRoleError) when the operator key holds more than relaying needs. */
export async function assertOperatorOnlyRelays(chain: ChainGateway, db: Database): Promise<void> {
  const served = await db
    .select({ id: municipalities.id })
    .from(municipalities)
    .orderBy(asc(municipalities.id));
  const surplus = await operatorSurplusRoles(
    chain,
    served.map((row) => row.id),
  );
  if (surplus.length > 0) throw new OperatorRoleError(surplus);
}

/**
 * What the platform's admins have not yet done for a municipality the service is to serve:
 * created it on the hub, or given the operator one of its operational roles. Empty when ready.
 */
export async function missingOnChainSetUp(chain: ChainGateway, municipality: number): Promise<string[]> {
  const entry = await chain.publicClient.readContract({
    address: chain.addresses.hub,
    abi: voucherHubAbi,
    functionName: 'municipalityOf',
    args: [municipality],
  });
  if (!entry.exists) return [`municipality ${municipality} does not exist on the hub`];
  const missing: string[] = [];
  for (const { name, role } of OPERATOR_MUNICIPAL_ROLES) {
    if (!(await hasMunicipalRole(chain, municipality, role))) {
      missing.push(`the operator ${chain.operatorAddress} lacks ${name} in municipality ${municipality}`);
    }
  }
  return missing;
}
