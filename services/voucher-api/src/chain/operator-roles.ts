import { ekroneAbi, ROLE, voucherHubAbi } from '@voucher/contracts';
import { type Database, municipalities } from '@voucher/db';
import { asc } from 'drizzle-orm';
import type { Hex } from 'viem';
import type { ChainGateway } from './gateway.ts';

/**
 * The service's own key holds a role that moves money: it could mint or burn without any
 * officer's passkey signature. The API refuses to start until the role is taken away.
 */
export class OperatorRoleError extends Error {
  constructor(readonly surplus: readonly string[]) {
    super(
      `Refusing to start: the operator key holds ${surplus.join('; ')}. Only officers' passkeys may move money ` +
        '(the hub alone mints and burns eKrone). Revoke each role from the operator (hub.revokeMunicipalRole by the ' +
        "municipality's admin, eKrone.revokeRole by the eKrone admin) or have it renounce them, then start again; " +
        'on the embedded demo, deleting the data folder starts afresh without them (this deletes all local data).',
    );
    this.name = 'OperatorRoleError';
  }
}

const MONEY_ROLES: readonly { name: string; role: Hex }[] = [
  { name: 'TREASURY_ROLE', role: ROLE.treasury },
  { name: 'FINANCE_OFFICER_ROLE', role: ROLE.financeOfficer },
];

/**
 * The money roles the operator key holds on chain, each named: TREASURY_ROLE or
 * FINANCE_OFFICER_ROLE in any municipality the service serves (the database's), and the
 * eKrone's TREASURY_ROLE. Empty is the only good answer.
 */
export async function operatorMoneyRoles(chain: ChainGateway, municipalityIds: readonly number[]) {
  const operator = chain.operatorAddress;
  const surplus: string[] = [];
  for (const municipality of municipalityIds) {
    for (const { name, role } of MONEY_ROLES) {
      const holds = await chain.publicClient.readContract({
        address: chain.addresses.hub,
        abi: voucherHubAbi,
        functionName: 'hasMunicipalRole',
        args: [municipality, role, operator],
      });
      if (holds) surplus.push(`${name} in municipality ${municipality}`);
    }
  }
  const ekroneTreasury = await chain.publicClient.readContract({
    address: chain.addresses.ekrone,
    abi: ekroneAbi,
    functionName: 'hasRole',
    args: [ROLE.treasury, operator],
  });
  if (ekroneTreasury) surplus.push("eKrone's TREASURY_ROLE");
  return surplus.map((role) => `${role} (operator ${operator})`);
}

/** At start: refuses (OperatorRoleError) when the operator key holds any money role. */
export async function assertOperatorHoldsNoMoneyRoles(chain: ChainGateway, db: Database): Promise<void> {
  const served = await db
    .select({ id: municipalities.id })
    .from(municipalities)
    .orderBy(asc(municipalities.id));
  const surplus = await operatorMoneyRoles(
    chain,
    served.map((row) => row.id),
  );
  if (surplus.length > 0) throw new OperatorRoleError(surplus);
}
