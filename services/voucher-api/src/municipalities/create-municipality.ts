import { ROLE } from '@voucher/contracts';
import { appendAudit, municipalities, type Transaction } from '@voucher/db';
import { SYSTEM_ACTOR } from '../audit/actor.ts';
import { enqueueChainWrite } from '../outbox/enqueue.ts';

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
 * The service's own roles inside a municipality, relayed by the operator key: it registers
 * accounts, grants, programs and providers the municipality's staff decide on in the API.
 * No TREASURY_ROLE and no FINANCE_OFFICER_ROLE: money moves only on officers' own passkey
 * signatures, whose accounts get those roles with the enrolment (passkey-on-chain.ts). The API
 * refuses to start if its key holds either (src/chain/operator-roles.ts).
 */
const OPERATOR_MUNICIPAL_ROLES = [
  ROLE.programManager,
  ROLE.enrolment,
  ROLE.providerRegistrar,
  ROLE.pauser,
] as const;

/**
 * A new tenant: its row, and on chain (through the outbox, in the same transaction) its own
 * walled-off scope in the hub: roles, periods from 1, claims and escrow of its own. The
 * operator creates it as platform registrar and is its first municipal admin, so it can hand
 * out the municipality's roles. Returns false when the municipality already existed.
 */
export async function createMunicipality(tx: Transaction, municipality: NewMunicipality): Promise<boolean> {
  const { singleOfficerFundingLimitOre, ...row } = municipality;
  const [inserted] = await tx
    .insert(municipalities)
    .values(row)
    .onConflictDoNothing({ target: municipalities.id })
    .returning({ id: municipalities.id });
  if (!inserted) return false;
  const m = String(municipality.id);
  await enqueueChainWrite(tx, {
    kind: 'municipality.create',
    contract: 'hub',
    functionName: 'createMunicipality',
    args: [m, '@operator', '@operator'],
    idempotencyKey: `municipality:${m}:create`,
  });
  for (const role of OPERATOR_MUNICIPAL_ROLES) {
    await enqueueChainWrite(tx, {
      kind: 'municipality.role',
      contract: 'hub',
      functionName: 'grantMunicipalRole',
      args: [m, role, '@operator'],
      idempotencyKey: `municipality:${m}:operator-role:${role}`,
    });
  }
  await enqueueChainWrite(tx, {
    kind: 'municipality.funding-limit',
    contract: 'hub',
    functionName: 'setFundingLimit',
    args: [m, String(singleOfficerFundingLimitOre ?? DEFAULT_SINGLE_OFFICER_FUNDING_LIMIT_ORE)],
    idempotencyKey: `municipality:${m}:funding-limit`,
  });
  await appendAudit(tx, {
    ...SYSTEM_ACTOR,
    municipalityId: municipality.id,
    action: 'municipality.created',
    subjectType: 'municipality',
    subjectId: m,
    details: { name: municipality.name },
  });
  return true;
}
