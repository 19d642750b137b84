import { createHmac, hkdfSync } from 'node:crypto';
import type { MasterKey } from './keyring.ts';

/**
 * Keyed blind indexes: deterministic HMAC-SHA256 tags that let the database find or dedupe a
 * person by CPR without holding the CPR. A plain hash would not do: there are only about
 * 3.6 million valid CPR numbers per century, so an unkeyed hash is reversed by enumeration.
 * The HMAC keys are derived (HKDF) from the master key, one per purpose, so a tag for one
 * purpose says nothing about another.
 *
 * Changing the master key these derive from changes every tag: a rotation must recompute
 * them from the vault (open record, re-index) before the old key is dropped.
 */
export type IndexPurpose = 'cpr-index' | 'person-program' | 'activation-code';

const HKDF_SALT = Buffer.from('voucher-vault/blind-index/v1', 'utf8');

export function deriveIndexKey(masterKey: MasterKey, purpose: IndexPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey.key, HKDF_SALT, purpose, 32));
}

/** The blind index of a normalised CPR (see `parseCpr`): 32 bytes. */
export function cprBlindIndex(masterKey: MasterKey, normalisedCpr: string): Buffer {
  return hmac(deriveIndexKey(masterKey, 'cpr-index'), normalisedCpr);
}

/**
 * One grant per person per program: a tag over (CPR, program) that survives the person being
 * given a new account (lost card, re-enrolment) yet cannot be linked across programs.
 */
export function personProgramKey(masterKey: MasterKey, normalisedCpr: string, programId: string): Buffer {
  return hmac(deriveIndexKey(masterKey, 'person-program'), `${normalisedCpr}\u0000${programId}`);
}

function hmac(key: Buffer, message: string): Buffer {
  return createHmac('sha256', key).update(message, 'utf8').digest();
}
