import type { Citizen } from '@voucher/db';
import type { Config } from '../config.ts';
import { AppError } from '../errors/app-error.ts';
import { openRecord, sealRecord } from './envelope.ts';
import { type Keyring, singleKeyring } from './keyring.ts';

/**
 * What the vault holds about a person, sealed per citizen. This is the only place a name,
 * CPR number or address exists, and it is only ever stored encrypted.
 */
export interface CitizenRecord {
  version: 1;
  cpr: string;
  name: string;
  address: { street: string; postalCode: string; city: string };
  birthDate: string;
  childrenBirthYears: number[];
  contact: { email?: string; phone?: string };
  /** Yearly household income in øre as a decimal string (JSON has no bigint); null if not given. */
  householdIncomeOre: string | null;
}

/** The configured master key as a keyring (id 1). Rotation adds ids here. */
export function vaultKeyring(config: Pick<Config, 'masterKey'>): Keyring {
  return singleKeyring(config.masterKey, 1);
}

/** Seals a record bound to its citizen id, so it cannot be moved onto another row. */
export function sealCitizenRecord(keyring: Keyring, citizenId: string, record: CitizenRecord) {
  return sealRecord(keyring.current, record, citizenId);
}

/** Opens a live citizen's record; an erased one answers CITIZEN_ERASED. */
export function openCitizenRecord(
  keyring: Keyring,
  citizen: Pick<Citizen, 'id' | 'wrappedDataKey' | 'sealedRecord' | 'erasedAt'>,
): CitizenRecord {
  if (citizen.erasedAt || !citizen.wrappedDataKey || !citizen.sealedRecord) {
    throw new AppError('CITIZEN_ERASED');
  }
  return openRecord<CitizenRecord>(
    keyring,
    { wrappedDataKey: citizen.wrappedDataKey, sealed: citizen.sealedRecord },
    citizen.id,
  );
}
