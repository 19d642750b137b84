import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { masterKeyIdOf, openRecord, resealRecord, rewrapDataKey, sealRecord } from './envelope.ts';
import { createKeyring, singleKeyring } from './keyring.ts';

const record = { name: 'Karen Jensen', address: 'Nørregade 1, 8000 Aarhus C', incomeOre: '25000000' };

describe('sealRecord / openRecord', () => {
  it('round-trips a record', () => {
    const keyring = singleKeyring(randomBytes(32));
    const envelope = sealRecord(keyring.current, record, 'citizen-1');
    expect(openRecord(keyring, envelope, 'citizen-1')).toEqual(record);
  });

  it('keeps no plaintext in either part', () => {
    const keyring = singleKeyring(randomBytes(32));
    const { wrappedDataKey, sealed } = sealRecord(keyring.current, record);
    const bytes = Buffer.concat([wrappedDataKey, sealed]).toString('latin1');
    expect(bytes).not.toContain('Karen');
    expect(bytes).not.toContain('Aarhus');
  });

  it('uses a fresh data key each time', () => {
    const keyring = singleKeyring(randomBytes(32));
    const first = sealRecord(keyring.current, record);
    const second = sealRecord(keyring.current, record);
    expect(first.wrappedDataKey.equals(second.wrappedDataKey)).toBe(false);
    expect(first.sealed.equals(second.sealed)).toBe(false);
  });

  it('refuses a record moved onto another citizen', () => {
    const keyring = singleKeyring(randomBytes(32));
    const envelope = sealRecord(keyring.current, record, 'citizen-1');
    expect(() => openRecord(keyring, envelope, 'citizen-2')).toThrow();
  });

  it('refuses a tampered record or key', () => {
    const keyring = singleKeyring(randomBytes(32));
    const envelope = sealRecord(keyring.current, record);
    const sealed = Buffer.from(envelope.sealed);
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] as number) ^ 1;
    expect(() => openRecord(keyring, { ...envelope, sealed })).toThrow();
    const wrappedDataKey = Buffer.from(envelope.wrappedDataKey);
    wrappedDataKey[20] = (wrappedDataKey[20] as number) ^ 1;
    expect(() => openRecord(keyring, { ...envelope, wrappedDataKey })).toThrow();
  });

  it('cannot open with another master key', () => {
    const envelope = sealRecord(singleKeyring(randomBytes(32)).current, record);
    expect(() => openRecord(singleKeyring(randomBytes(32)), envelope)).toThrow();
  });

  it('is shredded once the wrapped key is gone: the data key is not in the sealed record', () => {
    const keyring = singleKeyring(randomBytes(32));
    const envelope = sealRecord(keyring.current, record);
    const withoutKey = { sealed: envelope.sealed, wrappedDataKey: Buffer.alloc(0) };
    expect(() => openRecord(keyring, withoutKey)).toThrow();
  });
});

describe('key rotation', () => {
  it('opens records wrapped by an older key and rewraps them under the current one', () => {
    const oldKey = { id: 1, key: randomBytes(32) };
    const newKey = { id: 2, key: randomBytes(32) };
    const envelope = sealRecord(oldKey, record, 'c');
    const rotated = createKeyring([oldKey, newKey], 2);
    expect(openRecord(rotated, envelope, 'c')).toEqual(record);

    const rewrapped = rewrapDataKey(rotated, envelope.wrappedDataKey, 'c');
    expect(masterKeyIdOf(rewrapped)).toBe(2);
    const onlyNew = createKeyring([newKey], 2);
    expect(openRecord(onlyNew, { wrappedDataKey: rewrapped, sealed: envelope.sealed }, 'c')).toEqual(record);
  });

  it('reports an unknown master key id with a stable code', () => {
    const envelope = sealRecord({ id: 7, key: randomBytes(32) }, record);
    expect(() => openRecord(singleKeyring(randomBytes(32), 1), envelope)).toThrow(
      expect.objectContaining({ code: 'VAULT_KEY_UNKNOWN' }),
    );
  });

  it('rejects malformed keyrings at boot', () => {
    expect(() => singleKeyring(randomBytes(16))).toThrow(/32 bytes/);
    expect(() => createKeyring([{ id: 1, key: randomBytes(32) }], 2)).toThrow(/not among/);
    expect(() => createKeyring([{ id: 300, key: randomBytes(32) }], 300)).toThrow(/0 to 255/);
  });
});

describe('resealRecord', () => {
  it('replaces the record under the same data key', () => {
    const keyring = singleKeyring(randomBytes(32));
    const envelope = sealRecord(keyring.current, record, 'c');
    const updated = resealRecord(keyring, envelope, { ...record, address: 'Vestergade 2' }, 'c');
    expect(updated.wrappedDataKey.equals(envelope.wrappedDataKey)).toBe(true);
    expect(openRecord<typeof record>(keyring, updated, 'c').address).toBe('Vestergade 2');
  });
});
