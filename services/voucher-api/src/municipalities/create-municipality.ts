import { appendAudit, municipalities, type Transaction } from '@voucher/db';
import { SYSTEM_ACTOR } from '../audit/actor.ts';
import type { AdminsOnChain } from '../chain/config.ts';
import { OPERATOR_MUNICIPAL_ROLES } from '../chain/operator-roles.ts';
import { DEVELOPMENT_ADMIN_SIGNER } from '../chain/signers.ts';
import { enqueueChainWrite } from '../outbox/enqueue.ts';
import { parseDebtorAccount } from './debtor-account.ts';

export interface NewMunicipality {
  /** The official kommunekode (1..999); also the hub's MunicipalityId. */
  id: number;
  name: string;
  debtorIban?: string;
  debtorBic?: string;
  /** Funding up to this takes one treasury officer's signature, above it two (default 500.000 kr). */
  singleOfficerFundingLimitOre?: bigint;
}

/** The single-officer funding limit a new municipality starts with: 500.000 kr. */
export const DEFAULT_SINGLE_OFFICER_FUNDING_LIMIT_ORE = 50_000_000n;

/**
 * A new tenant: its row, and its own walled-off scope in the hub: roles, periods from 1, claims
 * and escrow of its own. On a local development chain the development admin (platform
 * registrar, and the municipality's admin there) sets that up through the outbox, in the same
 * transaction as the row. On a real network the platform's named admins do it through their
 * timelock (contracts/deploy/cli.ts) before the service serves the municipality, and the
 * service only records the row. The operator is never its admin: it gets only the operational
 * roles. Returns false when the municipality already existed.
 */
export async function createMunicipality(
  tx: Transaction,
  municipality: NewMunicipality,
  admins: AdminsOnChain = 'development-admin',
): Promise<boolean> {
  const { singleOfficerFundingLimitOre, debtorIban, debtorBic, ...identity } = municipality;
  const row =
    debtorIban === undefined && debtorBic === undefined
      ? identity
      : { ...identity, ...debtorAccountColumns(debtorIban ?? '', debtorBic ?? '') };
  const [inserted] = await tx
    .insert(municipalities)
    .values(row)
    .onConflictDoNothing({ target: municipalities.id })
    .returning({ id: municipalities.id });
  if (!inserted) return false;
  if (admins === 'development-admin') {
    await enqueueDevelopmentSetUp(tx, municipality.id, singleOfficerFundingLimitOre);
  }
  await appendAudit(tx, {
    ...SYSTEM_ACTOR,
    municipalityId: municipality.id,
    action: 'municipality.created',
    subjectType: 'municipality',
    subjectId: String(municipality.id),
    details: { name: municipality.name },
  });
  return true;
}

/** A debtor account given at creation is checked as PUT /municipality/bank-account checks it. */
function debtorAccountColumns(iban: string, bic: string) {
  const account = parseDebtorAccount({ iban, bic });
  return { debtorIban: account.iban, debtorBic: account.bic };
}

/** The development admin creates the municipality, gives the operator its roles and sets the limit. */
async function enqueueDevelopmentSetUp(tx: Transaction, id: number, limitOre: bigint | undefined) {
  const m = String(id);
  const asAdmin = { contract: 'hub', signer: DEVELOPMENT_ADMIN_SIGNER } as const;
  await enqueueChainWrite(tx, {
    ...asAdmin,
    kind: 'municipality.create',
    functionName: 'createMunicipality',
    args: [m, '@development-admin', '@development-admin'],
    idempotencyKey: `municipality:${m}:create`,
  });
  // The service's own roles inside the municipality: it registers accounts, grants, programs and
  // providers the municipality's staff decide on in the API. No money role and no admin role:
  // the API refuses to start if its key holds one (src/chain/operator-roles.ts).
  for (const { role } of OPERATOR_MUNICIPAL_ROLES) {
    await enqueueChainWrite(tx, {
      ...asAdmin,
      kind: 'municipality.role',
      functionName: 'grantMunicipalRole',
      args: [m, role, '@operator'],
      idempotencyKey: `municipality:${m}:operator-role:${role}`,
    });
  }
  await enqueueChainWrite(tx, {
    ...asAdmin,
    kind: 'municipality.funding-limit',
    functionName: 'setFundingLimit',
    args: [m, String(limitOre ?? DEFAULT_SINGLE_OFFICER_FUNDING_LIMIT_ORE)],
    idempotencyKey: `municipality:${m}:funding-limit`,
  });
}
