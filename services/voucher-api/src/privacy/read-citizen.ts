import { type Account, accounts, type Citizen, grants, passes, programs } from '@voucher/db';
import { and, desc, eq } from 'drizzle-orm';
import { toHex } from 'viem';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { type CitizenRecord, openCitizenRecord, vaultKeyring } from './citizen-record.ts';
import { findCitizen } from './find-citizen.ts';

export interface CitizenView {
  id: string;
  municipalityId: number;
  enrolledAt: string;
  /** Shown as people write it: DDMMYY-SSSS. */
  cpr: string;
  name: string;
  address: CitizenRecord['address'];
  birthDate: string;
  childrenBirthYears: number[];
  contact: CitizenRecord['contact'];
  householdIncomeOre: string | null;
  account: { accountId: `0x${string}`; status: Account['status'] };
  currentPass: { serial: string; issuedAt: string } | null;
  grants: {
    id: string;
    programId: string;
    programName: string;
    amountOre: string | null;
    uses: number | null;
    grantedAt: string;
  }[];
}

/** The caseworker's decrypted view of one citizen of their municipality. */
export async function readCitizen(
  deps: DomainDeps,
  actor: AccessClaims,
  citizenId: string,
): Promise<CitizenView> {
  const citizen = await findCitizen(deps, actor, citizenId);
  const record = openCitizenRecord(vaultKeyring(deps.config), citizen);
  const account = await accountOfCitizen(deps, citizen);
  const [currentPass] = await deps.db
    .select({ serial: passes.serial, issuedAt: passes.issuedAt })
    .from(passes)
    .where(and(eq(passes.accountId, account.accountId), eq(passes.status, 'active')))
    .orderBy(desc(passes.serial))
    .limit(1);
  const granted = await deps.db
    .select({ grant: grants, programName: programs.name })
    .from(grants)
    .innerJoin(programs, eq(programs.id, grants.programId))
    .where(eq(grants.accountId, account.accountId))
    .orderBy(grants.createdAt);
  return {
    id: citizen.id,
    municipalityId: citizen.municipalityId,
    enrolledAt: citizen.createdAt.toISOString(),
    cpr: `${record.cpr.slice(0, 6)}-${record.cpr.slice(6)}`,
    name: record.name,
    address: record.address,
    birthDate: record.birthDate,
    childrenBirthYears: record.childrenBirthYears,
    contact: record.contact,
    householdIncomeOre: record.householdIncomeOre,
    account: { accountId: toHex(account.accountId), status: account.status },
    currentPass: currentPass
      ? { serial: currentPass.serial.toString(), issuedAt: currentPass.issuedAt.toISOString() }
      : null,
    grants: granted.map(({ grant, programName }) => ({
      id: grant.id,
      programId: grant.programId.toString(),
      programName,
      amountOre: grant.amountOre === null ? null : grant.amountOre.toString(),
      uses: grant.uses,
      grantedAt: grant.createdAt.toISOString(),
    })),
  };
}

/** The citizen's pseudonymous account (one per citizen; the link is cut on erasure). */
export async function accountOfCitizen(
  deps: Pick<DomainDeps, 'db'>,
  citizen: Pick<Citizen, 'id'>,
): Promise<Account> {
  const account = await deps.db.query.accounts.findFirst({
    where: eq(accounts.citizenId, citizen.id),
    orderBy: desc(accounts.createdAt),
  });
  if (!account) throw new AppError('NOT_FOUND');
  return account;
}
