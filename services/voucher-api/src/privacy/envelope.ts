import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring, MasterKey } from './keyring.ts';

/**
 * Envelope encryption for the personal-data vault. Every citizen gets a random 32-byte data
 * key; the record is sealed with it (AES-256-GCM) and the data key is wrapped by the current
 * master key (AES-256-GCM). Deleting the wrapped key is crypto-shredding: the sealed record,
 * and every backup of it, becomes unreadable noise.
 *
 * Layouts (all binary):
 *   wrapped data key = format(1) | master key id(1) | iv(12) | tag(16) | encrypted key(32)
 *   sealed record    = format(1) | iv(12) | tag(16) | ciphertext
 * `boundTo` (e.g. the citizen id) is authenticated with both, so a record or key copied onto
 * another citizen's row fails to open instead of silently showing the wrong person.
 */
export interface SealedEnvelope {
  wrappedDataKey: Buffer;
  sealed: Buffer;
}

const FORMAT_V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DATA_KEY_BYTES = 32;
const WRAP_LABEL = 'voucher-vault/data-key/v1';
const RECORD_LABEL = 'voucher-vault/record/v1';

/** Records are JSON: callers store bigints (øre) as decimal strings. */
export function sealRecord(masterKey: MasterKey, record: unknown, boundTo = ''): SealedEnvelope {
  const dataKey = randomBytes(DATA_KEY_BYTES);
  try {
    return {
      wrappedDataKey: wrapDataKey(masterKey, dataKey, boundTo),
      sealed: sealWithDataKey(dataKey, Buffer.from(JSON.stringify(record), 'utf8'), boundTo),
    };
  } finally {
    dataKey.fill(0);
  }
}

/** Throws if the key or record was tampered with, belongs to another `boundTo`, or the master key is unknown. */
export function openRecord<T = unknown>(keyring: Keyring, envelope: SealedEnvelope, boundTo = ''): T {
  const dataKey = unwrapDataKey(keyring, envelope.wrappedDataKey, boundTo);
  try {
    return JSON.parse(openWithDataKey(dataKey, envelope.sealed, boundTo).toString('utf8')) as T;
  } finally {
    dataKey.fill(0);
  }
}

/** Replaces the whole record under the same data key (e.g. a new address). */
export function resealRecord(
  keyring: Keyring,
  envelope: SealedEnvelope,
  record: unknown,
  boundTo = '',
): SealedEnvelope {
  const dataKey = unwrapDataKey(keyring, envelope.wrappedDataKey, boundTo);
  try {
    const sealed = sealWithDataKey(dataKey, Buffer.from(JSON.stringify(record), 'utf8'), boundTo);
    return { wrappedDataKey: envelope.wrappedDataKey, sealed };
  } finally {
    dataKey.fill(0);
  }
}

/** Key rotation: re-wraps a data key under the keyring's current master key; the record is untouched. */
export function rewrapDataKey(keyring: Keyring, wrappedDataKey: Buffer, boundTo = ''): Buffer {
  const dataKey = unwrapDataKey(keyring, wrappedDataKey, boundTo);
  try {
    return wrapDataKey(keyring.current, dataKey, boundTo);
  } finally {
    dataKey.fill(0);
  }
}

/** Which master key wrapped this data key: lets a rotation job find what still needs rewrapping. */
export function masterKeyIdOf(wrappedDataKey: Buffer): number {
  assertFormat(wrappedDataKey, 2 + IV_BYTES + TAG_BYTES + DATA_KEY_BYTES);
  return wrappedDataKey[1] as number;
}

function wrapDataKey(masterKey: MasterKey, dataKey: Buffer, boundTo: string): Buffer {
  const header = Buffer.from([FORMAT_V1, masterKey.id]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', masterKey.key, iv);
  cipher.setAAD(associatedData(WRAP_LABEL, header, boundTo));
  const encrypted = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), encrypted]);
}

function unwrapDataKey(keyring: Keyring, wrappedDataKey: Buffer, boundTo: string): Buffer {
  const masterKey = keyring.byId(masterKeyIdOf(wrappedDataKey));
  const header = wrappedDataKey.subarray(0, 2);
  const iv = wrappedDataKey.subarray(2, 2 + IV_BYTES);
  const tag = wrappedDataKey.subarray(2 + IV_BYTES, 2 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', masterKey.key, iv);
  decipher.setAAD(associatedData(WRAP_LABEL, header, boundTo));
  decipher.setAuthTag(tag);
  return Buffer.concat([
    decipher.update(wrappedDataKey.subarray(2 + IV_BYTES + TAG_BYTES)),
    decipher.final(),
  ]);
}

function sealWithDataKey(dataKey: Buffer, plaintext: Buffer, boundTo: string): Buffer {
  const header = Buffer.from([FORMAT_V1]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(associatedData(RECORD_LABEL, header, boundTo));
  const encrypted = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), encrypted]);
}

function openWithDataKey(dataKey: Buffer, sealed: Buffer, boundTo: string): Buffer {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT_V1) {
    throw new Error('Vault: sealed record has an unknown format');
  }
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', dataKey, iv);
  decipher.setAAD(associatedData(RECORD_LABEL, sealed.subarray(0, 1), boundTo));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
}

function associatedData(label: string, header: Buffer, boundTo: string): Buffer {
  return Buffer.concat([Buffer.from(`${label}\u0000${boundTo}\u0000`, 'utf8'), header]);
}

function assertFormat(wrappedDataKey: Buffer, expectedBytes: number): void {
  if (wrappedDataKey.length !== expectedBytes || wrappedDataKey[0] !== FORMAT_V1) {
    throw new Error('Vault: wrapped data key has an unknown format');
  }
}
