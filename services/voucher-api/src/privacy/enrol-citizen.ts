import { randomBytes, randomUUID } from 'node:crypto';
import { accounts, appendAudit, citizens } from '@voucher/db';
import { toHex } from 'viem';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import { isUniqueViolation } from '../db-errors.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { enqueueChainWrite } from '../outbox/enqueue.ts';
import { issueActivationCode } from '../passes/issue-activation-code.ts';
import { issuePrintedPass } from '../passes/issue-printed-pass.ts';
import { cprBlindIndex } from './blind-index.ts';
import { type CitizenRecord, sealCitizenRecord, vaultKeyring } from './citizen-record.ts';
import { parseCpr } from './cpr.ts';
import { moveOutOfOtherMunicipalities } from './move-out.ts';

export interface EnrolCitizenParams {
  actor: AccessClaims;
  cpr: string;
  name: string;
  address: CitizenRecord['address'];
  birthDate: string;
  childrenBirthYears: number[];
  contact: CitizenRecord['contact'];
  householdIncomeOre: bigint | null;
}

export interface EnrolledCitizen {
  citizenId: string;
  accountId: `0x${string}`;
  passSerial: bigint;
  activationCode: string;
  activationCodeExpiresAt: Date;
}

/**
 * Enrols a person: seals their data in the vault, creates a pseudonymous account (random,
 * never derived from the person), tells the chain about the account, and issues a printed
 * pass and an activation code. Enrolling the same CPR twice in one municipality is refused via
 * the blind index; enrolment by a new municipality moves the person (see move-out.ts).
 */
export async function enrolCitizen(deps: DomainDeps, params: EnrolCitizenParams): Promise<EnrolledCitizen> {
  const cpr = parseCpr(params.cpr);
  if (cpr.birthDate !== params.birthDate) throw new AppError('BIRTH_DATE_MISMATCH');
  const keyring = vaultKeyring(deps.config);
  const citizenId = randomUUID();
  const accountId = randomBytes(32);
  const accountHex = toHex(accountId);
  const envelope = sealCitizenRecord(keyring, citizenId, toRecord(params, cpr.normalised));
  const now = deps.now();
  const { municipalityId } = params.actor;
  try {
    return await deps.db.transaction(async (tx) => {
      const blindIndex = cprBlindIndex(keyring.current, cpr.normalised);
      await moveOutOfOtherMunicipalities(tx, { blindIndex, into: municipalityId, now });
      await tx.insert(citizens).values({
        id: citizenId,
        municipalityId,
        cprBlindIndex: blindIndex,
        wrappedDataKey: envelope.wrappedDataKey,
        sealedRecord: envelope.sealed,
      });
      await tx.insert(accounts).values({ accountId, municipalityId, citizenId });
      const pass = await issuePrintedPass(tx, accountId, now);
      const code = await issueActivationCode(tx, deps.config, accountId, now);
      await enqueueChainWrite(tx, {
        kind: 'account.register',
        contract: 'hub',
        functionName: 'registerAccount',
        args: [String(municipalityId), accountHex],
        idempotencyKey: `account:${accountHex}:register`,
      });
      await appendAudit(tx, {
        ...auditActor(params.actor),
        municipalityId,
        action: 'citizen.enrolled',
        subjectType: 'citizen',
        subjectId: citizenId,
        details: { accountId: accountHex, passSerial: pass.serial.toString() },
      });
      return {
        citizenId,
        accountId: accountHex,
        passSerial: pass.serial,
        activationCode: code.code,
        activationCodeExpiresAt: code.expiresAt,
      };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'citizens_municipality_cpr_unique'))
      throw new AppError('CITIZEN_ALREADY_ENROLLED');
    throw error;
  }
}

function toRecord(params: EnrolCitizenParams, normalisedCpr: string): CitizenRecord {
  return {
    version: 1,
    cpr: normalisedCpr,
    name: params.name,
    address: params.address,
    birthDate: params.birthDate,
    childrenBirthYears: params.childrenBirthYears,
    contact: params.contact,
    householdIncomeOre: params.householdIncomeOre === null ? null : params.householdIncomeOre.toString(),
  };
}
