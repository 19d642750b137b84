import { AppError } from '../errors/app-error.ts';

/**
 * Master keys wrap the per-citizen data keys. Each has a one-byte id written into every
 * wrapped key, so a new master key can become current while records wrapped by older ones
 * still open (rotation = add a key, make it current, rewrap in the background, drop the old).
 */
export interface MasterKey {
  id: number;
  key: Uint8Array;
}

export interface Keyring {
  current: MasterKey;
  byId(id: number): MasterKey;
}

export const MASTER_KEY_BYTES = 32;

export function createKeyring(keys: readonly MasterKey[], currentId: number): Keyring {
  const byId = new Map<number, MasterKey>();
  for (const masterKey of keys) {
    assertValidMasterKey(masterKey);
    byId.set(masterKey.id, masterKey);
  }
  const current = byId.get(currentId);
  if (!current) {
    throw new Error(`Keyring: current master key id ${currentId} is not among the keys`);
  }
  return {
    current,
    byId(id) {
      const found = byId.get(id);
      if (!found) throw new AppError('VAULT_KEY_UNKNOWN', { keyId: id });
      return found;
    },
  };
}

/** A keyring with a single key: the common case, and what tests use. */
export function singleKeyring(key: Uint8Array, id = 1): Keyring {
  return createKeyring([{ id, key }], id);
}

function assertValidMasterKey(masterKey: MasterKey): void {
  if (!Number.isInteger(masterKey.id) || masterKey.id < 0 || masterKey.id > 255) {
    throw new Error('Keyring: a master key id must be an integer from 0 to 255');
  }
  if (masterKey.key.byteLength !== MASTER_KEY_BYTES) {
    throw new Error(`Keyring: master key ${masterKey.id} must be ${MASTER_KEY_BYTES} bytes`);
  }
}
